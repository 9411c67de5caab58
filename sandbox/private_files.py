"""Files that hold secrets (passwords, TOTP seed, admin token, private keys, live sessions): owner-only from the
first byte, so there is never a moment when another local user could read them.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_parents(path: Path) -> None:
    """Create the folders above `path`; a file in the way is named (mkdir alone only says "File exists")."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
        raise NotADirectoryError(errno.ENOTDIR, f"{blocker} is a file, not a folder") from None


def make_private_dir(path: Path) -> None:
    """Create `path` 0700 (parents as usual). An existing folder keeps its mode: its files are 0600 anyway."""
    make_parents(path)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder") from None


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` atomically with `data`, mode 0600: written to a 0600 temporary file, then renamed."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def restrict(path: Path) -> None:
    """Tighten an existing file to 0600 (state written by an older version was 0644)."""
    if path.is_file() and path.stat().st_mode & 0o077:
        path.chmod(FILE_MODE)
