"""The content loader and the ``kb`` command under damaged content.

``kb.loader.load(root)`` must never raise for anything found inside a content
folder: every defect becomes a ``Problem`` with a path. ``kb check`` never
prints a traceback and exits 0 or 1 (2 only for a missing folder). ``kb index``
on broken content exits non-zero with a clear message and leaves the live
index exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kb.cli import main
from kb.loader import load
from kb.model import Problem
from tests.conftest import CORPUS, REPO
from tests.reliability import FUZZ

ARTICLE = "he/goals.md"
DATA_FILES = ("categories.yaml", "paths.yaml", "glossary.yaml")


# ---------------------------------------------------------------------------
# What "survives" means
# ---------------------------------------------------------------------------


def assert_loads(root: Path):
    """``load`` returns; every problem is well formed and names a file."""
    kb = load(root)
    for problem in kb.problems:
        assert isinstance(problem, Problem)
        assert problem.severity in ("error", "warning"), problem
        assert problem.path and str(problem.path) not in ("", "."), problem
        assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1), problem
        assert problem.message and "Traceback" not in problem.message, problem
        str(problem)
    return kb


def run_cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    output = result.output + (result.stderr if hasattr(result, "stderr") else "")
    return result, output


def assert_check_clean(root: Path, expect_errors: bool | None = None):
    """``kb check`` ends with exit 0 or 1 and prints no traceback."""
    result, output = run_cli("check", "--content", str(root))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kb check raised {result.exception!r}\n{output[-2000:]}") from result.exception
    assert "Traceback" not in output, output[-2000:]
    assert result.exit_code in (0, 1), (result.exit_code, output[-2000:])
    if expect_errors is not None:
        assert result.exit_code == (1 if expect_errors else 0), output[-2000:]
    return result, output


def survive(root: Path, expect_errors: bool | None = True):
    kb = assert_loads(root)
    if expect_errors:
        assert kb.errors, "the damage went unreported"
    assert_check_clean(root, expect_errors)
    return kb


# ---------------------------------------------------------------------------
# Fuzzed front matter and bodies (Hypothesis)
# ---------------------------------------------------------------------------

VALID_FIELDS = {
    "id": "goals",
    "lang": "he",
    "title": "מטרות לא ברורות",
    "summary": "מטרות שאי אפשר למדוד.",
    "category": "strategy",
    "related": ["data", "strategy-gap"],
    "sources": ["he-seed"],
    "keywords": ["מטרות", "KPI"],
    "reviewed": "2026-11-22",
}
BODY = "\n## מה הבעיה\n\nמטרות מעורפלות. ראו [[data]].\n\n## סימני אזהרה\n\n- [ ] אף אחד לא יודע.\n"

YAML_FRAGMENTS = [
    "&a x",
    "*a",
    "*undefined",
    "&a [*a]",
    "<<: *a",
    "? [a, b]\n: c",
    "!!binary aGVsbG8=",
    "!!timestamp 2026-13-45",
    "!!python/object:os.system x",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!float .nan",
    "!!int 0x",
    "!custom x",
    "!!map x",
    "!!str",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "- ",
    "#",
    "|",
    ">",
    "@",
    "`",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x7f",
    "\x01",
    "~",
    "null",
    "true",
    "no",
    "0o777",
    "1e999",
    "-.inf",
    "2026-11-22T10:00:00Z",
    "[" * 200,
    "{a: " * 100,
    "- " * 100,
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["goals", "data", "he", "ar", "he-seed", "", " "]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
field_names = st.one_of(st.sampled_from(list(VALID_FIELDS)), st.text(max_size=10))


@st.composite
def front_matters(draw) -> str:
    kind = draw(st.sampled_from(["fields", "raw", "fragment"]))
    if kind == "fields":
        fields = dict(VALID_FIELDS)
        for name in draw(st.lists(field_names, max_size=4)):
            if draw(st.booleans()):
                fields.pop(name, None)
            else:
                fields[name] = draw(values)
        return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    if kind == "raw":
        chars = st.one_of(
            st.sampled_from([*list(":-[]{},&*!|>'\"#%@`?\n\t "), "\n  ", "id", "lang", "goals", "he"]), st.characters()
        )
        return draw(st.lists(chars, max_size=120).map("".join))
    lines = [
        f"{k}: {yaml.safe_dump(v, allow_unicode=True, default_flow_style=True).strip().removesuffix('...').strip()}"
        for k, v in VALID_FIELDS.items()
    ]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines)))
        fragment = draw(st.sampled_from(YAML_FRAGMENTS))
        where = draw(st.sampled_from(["value", "line", "prefix"]))
        if where == "value" and index < len(lines):
            lines[index] = lines[index].split(":", 1)[0] + ": " + fragment
        elif where == "prefix" and index < len(lines):
            lines[index] = fragment + lines[index]
        else:
            lines.insert(index, fragment)
    return "\n".join(lines) + "\n"


MD_PIECES = [
    "## כותרת",
    "### תת",
    "#",
    "######## x",
    "- [ ] סימן",
    "- [x] done",
    "- [ ]",
    "1. צעד",
    "1)",
    "* a",
    "+ b",
    "   - nested",
    "[[data]]",
    "[[",
    "]]",
    "[[data|טקסט]]",
    "[[Nope!]]",
    "[[|]]",
    "[[ ]]",
    "[[data|]]",
    "[[<script>]]",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "```",
    "~~~",
    "    code",
    "> quote",
    ">" * 50,
    "| a | b |",
    "|---|---|",
    "---",
    "***",
    "___",
    "[x](javascript:alert(1))",
    "![i](x)",
    "<http://x>",
    "&amp;",
    "&#0;",
    "\\",
    "*",
    "_",
    "`",
    "\t",
    " ",
    "",
    "\u202e",
    "\u200b",
    "\r",
    "\x0b",
    "\x0c",
    "\u2028",
    "\ufeff",
]


@st.composite
def bodies(draw) -> str:
    pieces = st.one_of(st.sampled_from(MD_PIECES), st.text(max_size=20))
    lines = draw(st.lists(st.lists(pieces, min_size=1, max_size=4).map(" ".join), max_size=25))
    return "\n".join(lines)


@FUZZ
@given(front=front_matters())
def test_fuzzed_front_matter(corpus, front):
    corpus.write(ARTICLE, f"---\n{front}---\n{BODY}")
    survive(corpus.root, expect_errors=None)


@FUZZ
@given(body=bodies())
def test_fuzzed_markdown_body(corpus, body):
    front = yaml.safe_dump(VALID_FIELDS, allow_unicode=True, sort_keys=False)
    corpus.write(ARTICLE, f"---\n{front}---\n{body}\n")
    survive(corpus.root, expect_errors=None)


@FUZZ
@given(text=st.one_of(front_matters(), st.text(max_size=200)), name=st.sampled_from(DATA_FILES))
def test_fuzzed_data_files(corpus, text, name):
    corpus.write(name, text)
    survive(corpus.root, expect_errors=None)


#: YAML that is well-formed for PyYAML's scanner but recursive or deeply nested.
YAML_CRASHERS = {
    "recursive-alias-front-matter": (ARTICLE, "---\nid: &a [*a]\n---\n" + BODY),
    "recursive-mapping-front-matter": (ARTICLE, "---\n&a {x: *a}\n---\n" + BODY),
    "nested-flow-2000-front-matter": (ARTICLE, "---\nid: " + "[" * 2000 + "]" * 2000 + "\n---\n" + BODY),
    "nested-block-front-matter": (
        ARTICLE,
        "---\nid:\n" + "".join("  " * i + "-\n" for i in range(1, 600)) + "---\n" + BODY,
    ),
    "recursive-alias-glossary": ("glossary.yaml", "&a [*a]\n"),
    "recursive-alias-categories": ("categories.yaml", "- &a {id: x, title: *a}\n"),
    "nested-flow-2000-paths": ("paths.yaml", "[" * 2000 + "]" * 2000 + "\n"),
}


@pytest.mark.parametrize("case", list(YAML_CRASHERS))
def test_recursive_or_deeply_nested_yaml(corpus, case):
    rel, text = YAML_CRASHERS[case]
    corpus.write(rel, text)
    survive(corpus.root, expect_errors=True)


# ---------------------------------------------------------------------------
# Truncated, binary, huge, empty and misplaced files
# ---------------------------------------------------------------------------

REAL_FILES = ["he/goals.md", "ar/goals.md", "en/data.md", *DATA_FILES]


@pytest.mark.parametrize("rel", REAL_FILES)
def test_truncated_files(corpus, rel):
    """Cut a real file every ~50 bytes (in the middle of UTF-8 sequences too)."""
    whole = (CORPUS / rel).read_bytes()
    for cut in range(0, len(whole), 50):
        corpus.write(rel, whole[:cut])
        survive(corpus.root, expect_errors=None)
        cut_odd = min(len(whole), cut + 25 + (whole[cut + 25 : cut + 26] or b"\x00")[0] % 3)
        corpus.write(rel, whole[:cut_odd])
        assert_loads(corpus.root)


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


BINARY_CONTENTS = {
    "random": _random_bytes(1, 4096),
    "random-no-nul": bytes(b or 1 for b in _random_bytes(2, 4096)),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(3, 200),
    "utf16": "---\nid: goals\n---\n## x\n".encode("utf-16"),
    "latin1": "---\nid: goals\ntitle: café\n---\n## x\n\nword\n".encode("latin-1"),
    "nul-in-front-matter": b"---\nid: go\x00als\n---\n## x\n\nword\n",
    "lone-surrogate-utf8": b"---\nid: goals\ntitle: \xed\xa0\x80\n---\n## x\n\nword\n",
    "overlong-utf8": b"---\nid: goals\ntitle: \xc0\xaf\n---\n## x\n\nword\n",
}


@pytest.mark.parametrize("rel", ["he/goals.md", *DATA_FILES])
@pytest.mark.parametrize("kind", list(BINARY_CONTENTS))
def test_binary_files(corpus, rel, kind):
    corpus.write(rel, BINARY_CONTENTS[kind])
    survive(corpus.root, expect_errors=True)


SPECIAL_TEXTS = {
    "empty": "",
    "only-dashes": "---",
    "only-dashes-newline": "---\n",
    "two-dashes-lines": "---\n---\n",
    "unclosed-front-matter": "---\nid: goals\nlang: he\n",
    "only-bom": "\ufeff",
    "only-whitespace": " \n\t\n\n",
    "front-matter-only": "---\n" + yaml.safe_dump(VALID_FIELDS, allow_unicode=True) + "---\n",
    "cr-line-endings": ("---\n" + yaml.safe_dump(VALID_FIELDS, allow_unicode=True) + "---\n" + BODY).replace(
        "\n", "\r"
    ),
    "front-matter-list": "---\n- a\n- b\n---\n" + BODY,
    "front-matter-scalar": "---\njust text\n---\n" + BODY,
    "two-documents": "---\nid: goals\n---\nlang: he\n---\n" + BODY,
}


@pytest.mark.parametrize("rel", ["he/goals.md", *DATA_FILES])
@pytest.mark.parametrize("kind", list(SPECIAL_TEXTS))
def test_degenerate_files(corpus, rel, kind):
    corpus.write(rel, SPECIAL_TEXTS[kind])
    survive(corpus.root, expect_errors=None)


FIVE_MB = 5 * 1024 * 1024


@pytest.mark.parametrize("rel", ["he/goals.md", "he/huge-new.md", *DATA_FILES])
def test_five_megabyte_file(corpus, rel):
    if rel.endswith(".yaml"):  # valid YAML (a comment), cheap for the parser
        data = ("# " + "א" * 60 + "\n") * (FIVE_MB // 123 + 1)
    else:
        data = ("מילה " * 20 + "\n") * (FIVE_MB // 181 + 1)
    assert len(data.encode()) >= FIVE_MB
    corpus.write(rel, data)
    survive(corpus.root, expect_errors=True)


def test_five_megabyte_data_file_is_refused_or_loaded_quickly(corpus):
    """Articles over 1 MB are refused at once; a 5 MB categories.yaml of real entries should not stall
    ``kb check`` and server start-up either (bounded: 3 s)."""
    entry = "- id: x{n}\n  title: {{he: " + "א" * 40 + ", ar: b, en: c}}\n  description: {{he: a, ar: b, en: c}}\n"
    chunks, size, n = [], 0, 0
    while size < FIVE_MB:
        chunk = entry.format(n=n)
        chunks.append(chunk)
        size += len(chunk.encode())
        n += 1
    corpus.write("categories.yaml", "".join(chunks))
    try:
        done = _load_in_subprocess(corpus.root, timeout=3)
    except subprocess.TimeoutExpired:
        pytest.fail(
            "load() took more than 3 s on a 5 MB categories.yaml (articles are capped at 1 MB; data files are not)"
        )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("rel", ["he/goals.md", *DATA_FILES, "he"])
def test_file_that_is_a_directory(corpus, rel):
    """An article, a data file or a language folder replaced by a folder (or, for a language, by a file)."""
    path = corpus.root / rel
    if path.is_dir():
        shutil.rmtree(path)
        path.write_text("not a folder\n", encoding="utf-8")
    else:
        path.unlink()
        (path / "inner.md").parent.mkdir(parents=True)
        (path / "inner.md").write_text("---\n---\n", encoding="utf-8")
    survive(corpus.root, expect_errors=None)


def test_dangling_symlink(corpus):
    os.symlink("no-such-file.md", corpus.root / "he" / "dangling.md")
    survive(corpus.root, expect_errors=None)


def test_symlink_loop(corpus):
    os.symlink("loop.md", corpus.root / "he" / "loop.md")
    survive(corpus.root, expect_errors=None)


def test_data_file_as_dangling_symlink(corpus):
    (corpus.root / "paths.yaml").unlink()
    os.symlink("no-such.yaml", corpus.root / "paths.yaml")
    survive(corpus.root, expect_errors=True)


def _load_in_subprocess(root: Path, timeout: float, memory_mb: int = 1024) -> subprocess.CompletedProcess:
    """Run ``load(root)`` in a child with a time and memory limit (damage that could hang or exhaust memory)."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} * 1024 * 1024, {memory_mb} * 1024 * 1024))
        sys.path.insert(0, {str(REPO)!r})
        from kb.loader import load
        kb = load({str(root)!r})
        print("problems:", len(kb.problems))
        for p in kb.errors:
            print(p)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False
    )


def test_fifo_does_not_hang_the_loader(corpus):
    """A named pipe called ``*.md`` (is_dir() is False): reading it would block forever."""
    os.mkfifo(corpus.root / "he" / "pipe.md")
    try:
        done = _load_in_subprocess(corpus.root, timeout=2)
    except subprocess.TimeoutExpired:
        pytest.fail("load() blocked (killed after 2 s) on a FIFO named he/pipe.md")
    assert done.returncode == 0, done.stderr[-2000:]


def test_yaml_alias_bomb_is_bounded(corpus):
    """A "billion laughs" front matter: nine levels of nine aliases (387 million leaves if expanded)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    corpus.write(ARTICLE, "---\n" + "\n".join(lines) + "\n---\n" + BODY)
    try:
        done = _load_in_subprocess(corpus.root, timeout=8, memory_mb=512)
    except subprocess.TimeoutExpired:
        pytest.fail("load() ran for more than 8 s on a 9-line YAML alias bomb")
    assert done.returncode == 0, f"load() died on a YAML alias bomb: {done.stderr.strip().splitlines()[-1:]}"
    assert "he/goals.md" in done.stdout


# ---------------------------------------------------------------------------
# kb check: exit codes
# ---------------------------------------------------------------------------


def test_check_on_good_content_exits_0(corpus):
    _result, output = assert_check_clean(corpus.root, expect_errors=False)
    assert "0 error(s)" in output


def test_check_missing_folder_exits_2_with_a_message(tmp_path):
    result, output = run_cli("check", "--content", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in output and "nowhere" in output


# ---------------------------------------------------------------------------
# kb index on broken content leaves the live index untouched
# ---------------------------------------------------------------------------


def _snapshot(index: Path) -> dict:
    """The ``current`` link target and every file under the index folder, with a hash of its bytes."""
    files = {}
    for path in sorted(index.rglob("*")):
        rel = str(path.relative_to(index))
        if path.is_symlink():
            files[rel] = ("link", os.readlink(path))
        elif path.is_file():
            files[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            files[rel] = ("dir", None)
    return {"current": os.readlink(index / "current"), "files": files}


BREAKAGES = {
    "invalid-yaml": lambda root: (root / ARTICLE).write_text("---\nid: [unclosed\n---\n" + BODY, encoding="utf-8"),
    "binary-article": lambda root: (root / ARTICLE).write_bytes(BINARY_CONTENTS["random"]),
    "truncated-article": lambda root: (root / ARTICLE).write_bytes((CORPUS / ARTICLE).read_bytes()[:120]),
    "empty-article": lambda root: (root / ARTICLE).write_text("", encoding="utf-8"),
    "missing-categories": lambda root: (root / "categories.yaml").unlink(),
    "broken-cross-link": lambda root: (root / ARTICLE).write_text(
        (CORPUS / ARTICLE).read_text(encoding="utf-8").replace("[[data]]", "[[no-such-id]]"), encoding="utf-8"
    ),
    "recursive-alias": lambda root: (root / ARTICLE).write_text("---\nid: &a [*a]\n---\n" + BODY, encoding="utf-8"),
    "categories-is-a-folder": lambda root: ((root / "categories.yaml").unlink(), (root / "categories.yaml").mkdir()),
    "dangling-symlink": lambda root: os.symlink("nowhere.md", root / "he" / "dangling.md"),
}


@pytest.fixture
def live_index(corpus, tmp_path):
    index = tmp_path / "index"
    result, output = run_cli("index", "--content", str(corpus.root), "--index", str(index))
    assert result.exit_code == 0, output
    return corpus, index


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_index_on_broken_content_keeps_the_live_index(live_index, breakage, incremental):
    corpus, index = live_index
    before = _snapshot(index)
    BREAKAGES[breakage](corpus.root)
    args = ["index", "--content", str(corpus.root), "--index", str(index)] + (["--incremental"] if incremental else [])
    result, output = run_cli(*args)
    assert _snapshot(index) == before, "the live index changed"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"kb index raised {result.exception!r} (a traceback, not a message)") from result.exception
    assert result.exit_code != 0, output
    assert "Traceback" not in output
    message = output.strip().splitlines()[-1] if output.strip() else ""
    assert message.startswith("Error:") and ("kb check" in message or "error" in message), output
