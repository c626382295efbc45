"""The bulk scorer gives Whoosh's own BM25F scores, on a build with several segments and deletions.

The reference scores each term with Whoosh's searcher and combines them by
the query's definition (sums for ``Or``, maxima for ``DisjunctionMax``) in
plain Python. Whoosh's own ``DisjunctionMaxMatcher`` is not the reference:
it takes the larger of its two children's scores even when they stand on
different documents, so a document can score a term it does not contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.scoring import BM25F

from search.glossary import Glossary, analyze_words
from search.plan import Plan
from search.query import SearchEngine
from search.ranking import compile_plan
from search.scoring import BulkScorer, UnsupportedQuery

CONTENT = Path(__file__).resolve().parents[2] / "content"

QUERIES = [
    ("והלקוחות לא משתמשים במערכת", "he"),
    ('מנכ"ל הדרכה ותמיכה', "he"),
    ("والعملاء لا يستخدمون النظام", "ar"),
    ("إدارة البيانات المكررة", "ar"),
    ("users resist the new CRM", "en"),
    ("data quality KPI dashboards", "en"),
    ("custmer trainng", "en"),  # typos: near spellings become terms
]


def _whoosh_scores(searcher, query) -> dict[int, float]:
    """Whoosh's BM25F score of each term, combined by the query's definition."""
    if isinstance(query, Q.Term):
        return {hit.docnum: hit.score for hit in searcher.search(query, limit=None, optimize=False)}
    combined: dict[int, float] = {}
    for sub in query.subqueries:
        for docnum, score in _whoosh_scores(searcher, sub).items():
            if isinstance(query, Q.DisjunctionMax):
                combined[docnum] = max(combined.get(docnum, 0.0), score)
            else:
                combined[docnum] = combined.get(docnum, 0.0) + score
    return {docnum: score * query.boost for docnum, score in combined.items()}


def _bulk_scores(scorer, searcher, query) -> dict[int, float]:
    scores = scorer.scores(searcher, query)
    return {int(d): float(scores[d]) for d in scores.nonzero()[0]}


@pytest.mark.parametrize("text,lang", QUERIES)
def test_bulk_scores_equal_whooshs_own(updated_index, text, lang):
    ix = whoosh_index.open_dir(str(updated_index / lang))
    with ix.searcher(weighting=BM25F()) as searcher:
        assert len(searcher.reader().leaf_readers()) == 2 and searcher.reader().has_deletions()
        scorer = BulkScorer(searcher)
        compiled = compile_plan(Plan(analyze_words(text, lang)), searcher, scorer)
        words = [w for w in compiled.words if w.query is not None]
        assert words
        whole = Q.Or([w.query for w in words])
        # Each word's own query too (a word's kept scores may then put its readings under the word itself:
        # search/ranking.py, below_the_word).
        for query, found in [(whole, _bulk_scores(scorer, searcher, whole))] + [
            (w.query, _bulk_scores(scorer, searcher, w.query)) for w in words
        ]:
            expected = _whoosh_scores(searcher, query)
            assert found.keys() == expected.keys()
            for docnum, score in expected.items():
                assert found[docnum] == pytest.approx(score, rel=1e-6)


def test_compiled_words_are_kept_and_read_only(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "he"))
    with ix.searcher() as searcher:
        scorer = BulkScorer(searcher)
        first = compile_plan(Plan(analyze_words("והלקוחות", "he")), searcher, scorer).words[0]
        again = compile_plan(Plan(analyze_words("הלקוחות והלקוחות", "he")), searcher, scorer).words[1]
        assert again is first
        with pytest.raises(ValueError):
            first.scores[0] = 1.0


def test_deleted_documents_never_score(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "en"))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        deleted = [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]
        assert deleted
        scorer = BulkScorer(searcher)
        term = Q.Term("body_s", "crm")
        scores = scorer.scores(searcher, term)
        live = {hit.docnum for hit in searcher.search(term, limit=None)}
        assert set(scores.nonzero()[0].tolist()) == live
        assert searcher.doc_frequency("body_s", "crm") > len(live)  # the old version still has postings
        assert not scores[deleted].any()


def test_cache_is_bounded_and_answers_stay_the_same(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "ar"))
    with ix.searcher() as searcher:
        big, small = BulkScorer(searcher), BulkScorer(searcher, max_postings=50)
        terms = [t.decode() for t, _ in zip(searcher.reader().lexicon("body_s"), range(200), strict=False)]
        for term in terms * 2:
            q = Q.Term("body_s", term, boost=2.0)
            assert (big.scores(searcher, q) == small.scores(searcher, q)).all()
            assert small.postings_held <= max(50, small.term(searcher, "body_s", term)[0].size)  # or the last alone


def test_unsupported_shapes_are_refused_not_misread(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "en"))
    with ix.searcher() as searcher:
        scorer = BulkScorer(searcher)
        for query in (Q.And([Q.Term("body_s", "crm")]), Q.Or([Q.Term("body_s", "crm")], scale=0.5), Q.Every()):
            with pytest.raises(UnsupportedQuery):
                scorer.scores(searcher, query)


def test_coordination_ranks_documents_matching_more_words_first(updated_index):
    """Every matching document is re-weighted by the share of query words it holds, not only the best few."""
    content = updated_index.parents[1] / "content"
    engine = SearchEngine(updated_index.parent, Glossary(()), None, cache_size=0)
    results = engine.search("CRM KPI", "en", limit=50)
    appended = {p.stem for p in (content / "en").glob("*.md") if p.read_text(encoding="utf-8").endswith("CRM KPI\n")}
    assert appended and results.hits[0].id in appended | {
        h.id for h in results.hits if h.score == results.hits[0].score
    }
