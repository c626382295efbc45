"""YAML that remembers where each value came from.

Content problems are reported as ``path:line``; PyYAML's composed node tree
knows the lines, so values are built from it and keep them.
"""

from __future__ import annotations

import yaml


class LineDict(dict):
    """A mapping from YAML with the 1-based line of each key (``lines``) and of itself (``line``)."""

    line: int = 1
    lines: dict
    duplicates: list


class LineList(list):
    """A sequence from YAML with the 1-based line of each item (``lines``) and of itself (``line``)."""

    line: int = 1
    lines: list


#: Content files are small: more values than this is an alias bomb or a mistake.
MAX_NODES = 20_000
MAX_DEPTH = 50


class LimitError(yaml.YAMLError):
    """YAML too deep, too large or recursive (aliases that expand without end)."""

    def __init__(self, problem: str, mark=None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def load(text: str, first_line: int = 1):
    """Parse one YAML document; lines are offset so that line 1 of ``text`` is ``first_line``.

    Raises ``yaml.YAMLError`` (with ``problem_mark``) when the text is not YAML,
    or is nested too deeply, too large or recursive.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise LimitError("nested too deeply") from None
    if node is None:
        return None
    # A constructor per document: PyYAML's keeps every object it built (``constructed_objects``) until
    # it is discarded, so one shared across documents would hold every value ever loaded.
    return _build(node, first_line - 1, [0], (), yaml.constructor.SafeConstructor())


def _build(node: yaml.Node, offset: int, count: list, path: tuple, scalars: yaml.constructor.SafeConstructor):
    count[0] += 1
    if count[0] > MAX_NODES:
        raise LimitError(f"more than {MAX_NODES} values (aliases expanding?)", node.start_mark)
    if len(path) > MAX_DEPTH or id(node) in path:
        raise LimitError("nested too deeply, or an alias refers to itself", node.start_mark)
    path = (*path, id(node))
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = LineDict()
        result.line, result.lines, result.duplicates = line, {}, []
        for key_node, value_node in node.value:
            key = _build(key_node, offset, count, path, scalars)
            key = key if isinstance(key, str | int | float | bool) or key is None else str(key)
            if key in result:
                result.duplicates.append((key, key_node.start_mark.line + 1 + offset))
            result[key] = _build(value_node, offset, count, path, scalars)
            result.lines[key] = key_node.start_mark.line + 1 + offset
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LineList(_build(item, offset, count, path, scalars) for item in node.value)
        result.line = line
        result.lines = [item.start_mark.line + 1 + offset for item in node.value]
        return result
    # A scalar: let PyYAML's safe constructor resolve its type (int, date, bool ...).
    return scalars.construct_object(node, deep=True)


def error_line(exc: yaml.YAMLError, first_line: int = 1) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + first_line if mark is not None else None


def describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    parts = [p for p in (context, problem) if p]
    return "invalid YAML: " + ("; ".join(parts) if parts else str(exc).splitlines()[0])
