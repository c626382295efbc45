"""search/postings.py, the adapter to Whoosh's internals, gives Whoosh's own answers, and fast.

Its fast paths read Whoosh's private structures: these tests check they
agree with Whoosh's public calls on a build with two segments and a
deletion, and that the installed Whoosh takes them (a Whoosh upgrade that
changes them fails here, not as a silent slowdown).
"""

from __future__ import annotations

from whoosh import index as whoosh_index

from search.postings import field_lengths, postings, reads_blocks, reads_lengths_whole

FIELDS = ("title_s", "body_s", "body_x", "keywords_x")


def test_block_reads_match_posting_by_posting(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "he"))
    with ix.searcher() as searcher:
        leaf, _ = searcher.reader().leaf_readers()[0]
        terms = [t.decode() for t, _ in zip(leaf.lexicon("body_s"), range(300), strict=False)]
        for term in terms:
            slow_ids, slow_weights = [], []
            matcher = leaf.postings("body_s", term)
            while matcher.is_active():
                slow_ids.append(matcher.id())
                slow_weights.append(matcher.weight())
                matcher.next()
            fast_ids, fast_weights = postings(leaf.postings("body_s", term))
            # The block reader ignores deletions (the scorer masks them): compare live documents only.
            live = [i for i, d in enumerate(fast_ids) if not leaf.is_deleted(d)]
            assert [fast_ids[i] for i in live] == slow_ids
            assert [fast_weights[i] for i in live] == slow_weights


def test_field_lengths_read_whole_equal_whooshs_per_document_lengths(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "he"))
    with ix.searcher() as searcher:
        for name in FIELDS:
            seen = set()
            for leaf, _ in searcher.reader().leaf_readers():
                expected = [leaf.doc_field_length(d, name, 1) for d in range(leaf.doc_count_all())]
                assert field_lengths(leaf, name).tolist() == expected
                seen |= set(expected)
            assert len(seen) > 1  # real lengths, not a default


def test_the_installed_whoosh_takes_the_fast_paths(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "en"))
    with ix.searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            term = next(iter(leaf.lexicon("body_s"))).decode()
            assert reads_blocks(leaf.postings("body_s", term))
            assert all(reads_lengths_whole(leaf, name) for name in FIELDS)


def test_other_matchers_are_read_one_posting_at_a_time(updated_index):
    ix = whoosh_index.open_dir(str(updated_index / "en"))
    with ix.searcher() as searcher:
        leaf, _ = searcher.reader().leaf_readers()[0]
        term = next(iter(leaf.lexicon("body_s"))).decode()
        matcher = leaf.postings("body_s", term)
        matcher.next()  # a matcher already part-way through its first block is not read in blocks
        assert not reads_blocks(matcher)
        ids, weights = postings(matcher)
        assert ids == postings(leaf.postings("body_s", term))[0][1:]
        assert len(weights) == len(ids)
