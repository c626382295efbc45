"""Measure search quality on a query set and analyzer conflation pairs.

    .venv/bin/python scripts/evaluate.py [--queries FILE] [--conflations FILE] [--ood FILE] [--details]

Runs the product through its HTTP API (Flask's test client: /api/search and
/api/analyze) and, side by side in the same run, a naive baseline: Whoosh's
StandardAnalyzer over the same articles, queried with an OR parser. Prints
MRR@10 and success@3 per language and per bucket, the share of
conflation pairs whose two forms share a term, and the share of
out-of-domain queries answered with no results or results marked
approximate (beside how many relevance queries are marked approximate,
and their median count of results).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser, OrGroup  # noqa: E402

from kb.loader import load_strict  # noqa: E402
from kb.model import LANGUAGES  # noqa: E402
from web.app import create_app  # noqa: E402

#: The evaluation sets: ``shared/eval`` beside the checkout or a folder above it (a worktree's).
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / "eval")


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


class Baseline:
    """Whoosh's StandardAnalyzer over title, keywords, summary and body; OR of the query words."""

    fields = ("title", "keywords", "summary", "body")

    def __init__(self, kb, folder: Path) -> None:
        self.indexes = {}
        for lang in LANGUAGES:
            schema = Schema(id=ID(stored=True), **{f: TEXT(analyzer=StandardAnalyzer()) for f in self.fields})
            (folder / lang).mkdir(parents=True)
            ix = whoosh_index.create_in(str(folder / lang), schema)
            with ix.writer() as writer:
                for a in kb.in_language(lang):
                    writer.add_document(
                        id=a.id, title=a.title, keywords=" ".join(a.keywords), summary=a.summary, body=a.text
                    )
            self.indexes[lang] = ix

    def search(self, text: str, lang: str) -> list[str]:
        ix = self.indexes[lang]
        parser = MultifieldParser(list(self.fields), ix.schema, group=OrGroup)
        with ix.searcher() as searcher:
            try:
                query = parser.parse(text)
            except Exception:
                return []
            return [hit["id"] for hit in searcher.search(query, limit=10)]

    @staticmethod
    def terms(text: str) -> set[str]:
        return {t.text for t in StandardAnalyzer()(text)}


def reciprocal_rank(ranked: list[str], relevant: list[str]) -> float:
    for rank, article_id in enumerate(ranked[:10], start=1):
        if article_id in relevant:
            return 1.0 / rank
    return 0.0


def out_of_domain(client, queries: list[dict]) -> tuple[int, list[tuple]]:
    """How many queries get no results or results marked approximate, and the others (id, query, total)."""
    passed, failed = 0, []
    for q in queries:
        response = client.get("/api/search", query_string={"q": q["query"], "lang": q["lang"], "limit": 10})
        answer = response.get_json()
        if answer["total"] == 0 or answer.get("approximate"):
            passed += 1
        else:
            failed.append((q["qid"], q["lang"], q["query"], answer["total"]))
    return passed, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=Path, default=EVAL / "dev-queries.tsv")
    parser.add_argument("--conflations", type=Path, default=EVAL / "dev-conflations.tsv")
    parser.add_argument("--ood", type=Path, default=EVAL / "dev-ood.tsv")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--details", action="store_true", help="List every query that misses the top 3.")
    args = parser.parse_args()

    kb = load_strict(args.content)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"KB_CONTENT_DIR": str(args.content), "KB_INDEX_DIR": str(Path(tmp) / "index")})
        client = app.test_client()
        baseline = Baseline(kb, Path(tmp) / "baseline")
        queries = read_tsv(args.queries)
        rows = defaultdict(lambda: {"n": 0, "mrr": [0.0, 0.0], "s3": [0, 0]})
        misses = []
        approximate, totals = 0, []
        for q in queries:
            relevant = q["relevant"].split(",")
            response = client.get("/api/search", query_string={"q": q["query"], "lang": q["lang"], "limit": 10})
            answer = response.get_json()
            ours = [r["id"] for r in answer["results"]]
            approximate += bool(answer.get("approximate"))
            totals.append(answer["total"])
            theirs = baseline.search(q["query"], q["lang"])
            for key in ("all", f"lang:{q['lang']}", f"bucket:{q['bucket']}"):
                row = rows[key]
                row["n"] += 1
                for i, ranked in enumerate((ours, theirs)):
                    row["mrr"][i] += reciprocal_rank(ranked, relevant)
                    row["s3"][i] += any(r in relevant for r in ranked[:3])
            if not any(r in relevant for r in ours[:3]):
                misses.append((q["qid"], q["lang"], q["query"], relevant, ours[:3]))

        print(f"Search quality: {len(queries)} queries from {args.queries.name}\n")
        print("| slice | n | MRR@10 | baseline | success@3 | baseline |")
        print("|---|---:|---:|---:|---:|---:|")
        order = ["all"] + [f"lang:{lang}" for lang in LANGUAGES] + sorted(k for k in rows if k.startswith("bucket:"))
        for key in order:
            if key not in rows:
                continue
            row, n = rows[key], rows[key]["n"]
            print(
                f"| {key} | {n} | {row['mrr'][0] / n:.3f} | {row['mrr'][1] / n:.3f} | "
                f"{row['s3'][0] / n:.3f} | {row['s3'][1] / n:.3f} |"
            )

        print(
            f"\nRelevance queries marked approximate: {approximate}/{len(queries)}; "
            f"median results {statistics.median(totals):g} (also mentioned apart)"
        )
        ood_passed, ood_failed = out_of_domain(client, read_tsv(args.ood))
        n_ood = ood_passed + len(ood_failed)
        print(
            f"Out-of-domain ({args.ood.name}): {ood_passed}/{n_ood} ({ood_passed / max(n_ood, 1):.0%}) "
            "with no results or results marked approximate"
        )

        pairs = read_tsv(args.conflations)
        passed = [0, 0]
        failed = []
        for p in pairs:
            terms = []
            for text in (p["a"], p["b"]):
                response = client.get("/api/analyze", query_string={"text": text, "lang": p["lang"]})
                terms.append({t["term"] for t in response.get_json()["tokens"]})
            ok = bool(terms[0] & terms[1])
            passed[0] += ok
            passed[1] += bool(Baseline.terms(p["a"]) & Baseline.terms(p["b"]))
            if not ok:
                failed.append((p["pid"], p["a"], p["b"], p["rule"]))
        print(
            f"\nConflation pairs ({args.conflations.name}): {passed[0]}/{len(pairs)} "
            f"({passed[0] / len(pairs):.0%}); baseline {passed[1]}/{len(pairs)} ({passed[1] / len(pairs):.0%})"
        )
        if args.details:
            for miss in misses:
                print("miss:", *miss)
            for fail in failed:
                print("conflation fails:", *fail)
            for fail in ood_failed:
                print("out-of-domain answered:", *fail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
