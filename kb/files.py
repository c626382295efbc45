"""Reading content files with a size limit: a content file is a few kilobytes."""

from __future__ import annotations

from pathlib import Path

#: Larger files are refused.
MAX_FILE_BYTES = 1024 * 1024


def describe_size(size: int) -> str:
    """``400 MiB``, ``1.5 MiB``, ``12 KiB``: a file size as people read it."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{size} bytes"


def read_limited(path: Path) -> bytes:
    """The file's bytes, reading at most one byte past :data:`MAX_FILE_BYTES` (enough to tell it is too large)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)
