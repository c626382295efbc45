"""Reading content files with a size limit: a content file is a few kilobytes."""

from __future__ import annotations

from pathlib import Path

#: Larger files are refused.
MAX_FILE_BYTES = 1024 * 1024


def read_limited(path: Path) -> bytes:
    """The file's bytes, reading at most one byte past :data:`MAX_FILE_BYTES` (enough to tell it is too large)."""
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)
