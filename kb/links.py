"""Phase 2: with every article read, resolve what points between them.

Checks cross-links, ``related`` ids, categories, learning-path steps and
translations (the same id in every language, with the same structure),
then renders each body with its cross-links pointing at the right article
in the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import authoring
from .frontmatter import suggest
from .languages import FALLBACK_ORDER, LANGUAGES, REFERENCE_LANGUAGE
from .markdown import items, plain_text, render
from .model import Article, Category, Problem, article_url


def resolve(
    drafts: dict, categories: tuple[Category, ...], paths, paths_file: Path, report: Callable[[Problem], None]
) -> dict:
    all_ids = sorted({aid for _, aid in drafts})
    category_ids = [c.id for c in categories]

    def check_target(target: str, lang: str, path, line: int, what: str) -> None:
        if (lang, target) in drafts:
            return
        if target in all_ids:
            # The site shows another language's version with a notice: a gap, not a break.
            report(Problem("warning", path, line, f"{what} '{target}' has no {lang} version"))
        else:
            report(Problem("error", path, line, f"{what}: unknown id '{target}'{suggest(target, all_ids)}"))

    for (lang, _), draft in drafts.items():
        meta = draft.front_matter
        category = meta.category
        if category and categories and category not in category_ids:
            report(
                Problem(
                    "error",
                    draft.path,
                    meta.line("category"),
                    f"unknown category '{category}'{suggest(category, category_ids)}",
                )
            )
        for related in meta.related:
            check_target(related, lang, draft.path, meta.line("related"), "related")
        for link in draft.doc.links:
            check_target(link.target, lang, draft.path, link.line, "cross-link")
        _check_tag_counts(draft, report)

    for aid in all_ids:
        _check_translations(aid, {lang: drafts[(lang, aid)] for lang in LANGUAGES if (lang, aid) in drafts}, report)

    for learning_path, lines in paths:
        for step, line in zip(learning_path.steps, lines, strict=True):
            missing = [lang for lang in LANGUAGES if (lang, step) not in drafts]
            if step not in all_ids:
                message = f"path '{learning_path.id}': unknown id '{step}'{suggest(step, all_ids)}"
                report(Problem("error", paths_file, line, message))
            elif missing:
                message = f"path '{learning_path.id}': '{step}' has no {', '.join(missing)} version"
                report(Problem("warning", paths_file, line, message))

    authoring.check(drafts, report)  # placeholders left by 'kb new'; translations whose source changed
    return {key: _build(key, draft, drafts) for key, draft in drafts.items()}


_TAGGED = (("sign_tags", "signs", "warning signs ('- [ ]' items)"), ("step_tags", "steps", "numbered steps"))


def _check_tag_counts(draft, report) -> None:
    """Each of ``sign_tags`` / ``step_tags`` has one tag per warning sign / numbered step."""
    meta = draft.front_matter
    for name, kind, label in _TAGGED:
        tags, found = getattr(meta, name), getattr(draft.doc, kind)
        if name not in meta.present or len(tags) == len(found):
            continue
        where = f" (the first is on line {found[0].line})" if found else ""
        message = f"{name} has {len(tags)} tag(s) but the article has {len(found)} {label}{where}: one tag per item"
        report(Problem("error", draft.path, meta.line(name), message))


def _check_translations(aid: str, present: dict, report) -> None:
    reference_lang = REFERENCE_LANGUAGE if REFERENCE_LANGUAGE in present else next(iter(present))
    reference = present[reference_lang]
    for lang in LANGUAGES:
        if lang not in present:
            expected = reference.path.parent.parent / lang / reference.path.name
            report(Problem("warning", reference.path, None, f"no {lang} translation (expected {expected})"))
    for lang, draft in present.items():
        if lang == reference_lang:
            continue
        for message, line in _differences(reference, draft):
            report(Problem("warning", draft.path, line, f"translation differs from {reference.path}: {message}"))


def _differences(reference, draft):
    """What a translation does differently from the reference version (message, line)."""
    ref, own = reference.front_matter, draft.front_matter
    for name in ("category", "related", "sources", "sign_tags", "step_tags"):
        if getattr(ref, name) != getattr(own, name):
            shown = _show(getattr(own, name)), _show(getattr(ref, name))
            yield f"{name} is {shown[0]}, not {shown[1]}", own.line(name)
    ref_sections, own_sections = reference.doc.sections, draft.doc.sections
    if len(ref_sections) != len(own_sections):
        yield f"{len(own_sections)} sections, not {len(ref_sections)}", own.line("id")
        return
    for number, (a, b) in enumerate(zip(ref_sections, own_sections, strict=True), start=1):
        for kind, label in (("checklist", "checklist items"), ("steps", "numbered steps"), ("bullets", "list items")):
            if getattr(a, kind) != getattr(b, kind):
                yield f"section {number} has {getattr(b, kind)} {label}, not {getattr(a, kind)}", b.heading.line
    ref_links = sorted({link.target for link in reference.doc.links})
    own_links = sorted({link.target for link in draft.doc.links})
    if ref_links != own_links:
        yield f"cross-links to {_show(own_links)}, not {_show(ref_links)}", own.line("id")


def _show(value) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(v if isinstance(v, str) else "/".join(v) for v in value) + "]"
    return f"'{value}'" if value else "none"


def _build(key, draft, drafts) -> Article:
    lang, _ = key

    def resolver(target: str):
        found = drafts.get((lang, target)) or next(
            (drafts[(other, target)] for other in FALLBACK_ORDER if (other, target) in drafts), None
        )
        return (article_url(lang, target), found.front_matter.title) if found else None

    meta = draft.front_matter
    return Article(
        id=meta.id,
        lang=lang,
        title=meta.title,
        summary=meta.summary,
        category=meta.category,
        related=meta.related,
        sources=meta.sources,
        keywords=meta.keywords,
        reviewed=meta.reviewed,
        path=draft.path,
        headings=draft.doc.headings,
        sections=draft.doc.sections,
        links=draft.doc.links,
        html=render(draft.doc, resolver),
        text=plain_text(draft.doc, resolver),
        body_line=(draft.doc.front_matter_lines[1] + 1) if draft.doc.front_matter_lines else 1,
        signs=items(draft.doc.signs, meta.sign_tags, resolver),
        steps=items(draft.doc.steps, meta.step_tags, resolver),
    )
