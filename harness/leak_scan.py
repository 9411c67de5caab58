"""Prove that no secret reached an artifact: search files (and the members of zip files such as Playwright
traces) for secret values in every encoding a report or trace might use.

Two modes:
- by value (`scan`): each value plain, JSON/HTML-escaped, URL-encoded (quote, quote_plus) and base64 (standard and
  URL-safe, at all three byte alignments, so a secret inside a larger base64 blob is found too). The pytest plugin
  (`harness.reporting`) runs it at session end with `harness.secrets.revealed_values()`.
- by shape (`scan_shapes`): the Entra client-secret shape, for artifacts produced after the session (the HTML
  report), when the values are gone: they are never written to disk.

A hit names the file (and zip member) and the encoding, never the value.

CLI: python -m harness.leak_scan PATH... [--values-from-env VAR ...] [--shape entra-secret]
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import math
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

# Entra ID client secrets: 3 chars, a digit, "Q~", then 31-34 chars (e.g. "abc8Q~…").
SHAPES = {"entra-secret": re.compile(rb"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
                                     rb"(?![A-Za-z0-9_~.-])")}
MIN_VALUE_LEN = 8
# Quoted base64 strings and data: URLs, as a single-file report embeds its JSON and attachments.
EMBEDDED_B64_RE = re.compile(rb"(?:[\"']|base64,)([A-Za-z0-9+/]{16,}={0,2})(?=[\"'])")


@dataclass(frozen=True)
class Hit:
    path: str  # file, or "file!member" inside a zip
    encoding: str  # plain, url, base64, … or the shape name
    label: str = ""  # which secret (its label or ordinal), never the value

    def __str__(self) -> str:
        which = f" [{self.label}]" if self.label else ""
        return f"{self.path}: secret found ({self.encoding}){which}"


def _base64_windows(data: bytes) -> Iterator[tuple[str, bytes]]:
    """The base64 characters fully determined by `data`, for each of the three alignments it may start at."""
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data)
        start = math.ceil(8 * offset / 6)
        end = (8 * (offset + len(data))) // 6
        window = encoded[start:end]
        yield "base64", window
        yield "base64url", window.replace(b"+", b"-").replace(b"/", b"_")


def needles(value: str) -> dict[bytes, str]:
    """Every encoded form of one value worth searching for, mapped to the name of its encoding."""
    found: dict[bytes, str] = {}

    def add(form: str, encoding: str) -> None:
        data = form.encode("utf-8")
        if len(data) >= MIN_VALUE_LEN and data not in found:
            found[data] = encoding

    add(value, "plain")
    add(json.dumps(value, ensure_ascii=True)[1:-1], "json-escaped")
    add(html.escape(value), "html-escaped")
    add(quote(value, safe=""), "url-encoded")
    add(quote(value), "url-encoded")
    add(quote_plus(value), "url-encoded")
    for encoding, window in _base64_windows(value.encode("utf-8")):
        if len(window) >= MIN_VALUE_LEN and window not in found:
            found[window] = encoding
    return found


def _members(name: str, content: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """A blob, or each member when it is a zip archive (nested zips opened too)."""
    if content[:4] == b"PK\x03\x04" and depth < 3:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for member in archive.infolist():
                    if not member.is_dir():
                        yield from _members(f"{name}!{member.filename}", archive.read(member), depth + 1)
            return
        except zipfile.BadZipFile:
            pass
    yield name, content


def _embedded(name: str, content: bytes) -> Iterator[tuple[str, bytes]]:
    """Base64 payloads embedded in a single-file HTML report (Allure 3 stores data and attachments that way)."""
    for index, match in enumerate(EMBEDDED_B64_RE.finditer(content)):
        try:
            decoded = base64.b64decode(match.group(1), validate=True)
        except ValueError:
            continue
        yield from _members(f"{name}#embedded-{index + 1}", decoded)


def _blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    """(display name, content) of a file, of each member of a zip, and of each base64 payload in an HTML file."""
    content = path.read_bytes()
    yield from _members(str(path), content)
    if path.suffix.lower() in (".html", ".htm"):
        yield from _embedded(str(path), content)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())


def scan(paths: Iterable[str | Path], values: Iterable[str] | dict[str, str]) -> list[Hit]:
    """Search files for secret values. `values` may map label → value so hits can say which secret leaked."""
    labelled = values if isinstance(values, dict) else {f"\0{i}": v for i, v in enumerate(sorted(values))}
    patterns = [(label, needles(value)) for label, value in labelled.items() if len(value) >= MIN_VALUE_LEN]
    hits: list[Hit] = []
    if not patterns:
        return hits
    for file in iter_files(paths):
        for name, content in _blobs(file):
            for label, forms in patterns:
                encoding = next((enc for form, enc in forms.items() if form in content), None)
                if encoding:
                    hits.append(Hit(name, encoding, "" if label.startswith("\0") else label))
    return hits


def scan_shapes(paths: Iterable[str | Path], shapes: Iterable[str] = ("entra-secret",)) -> list[Hit]:
    """Search files for strings shaped like a secret (for artifacts made after the values are gone)."""
    compiled = [(name, SHAPES[name]) for name in shapes]
    hits: list[Hit] = []
    for file in iter_files(paths):
        for name, content in _blobs(file):
            hits.extend(Hit(name, shape) for shape, regex in compiled if regex.search(content))
    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.leak_scan", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="files or folders to scan (zip files are opened)")
    parser.add_argument("--values-from-env", action="append", default=[], metavar="VAR",
                        help="scan for the value of this environment variable (repeatable)")
    parser.add_argument("--shape", action="append", default=[], choices=sorted(SHAPES),
                        help="scan for strings of this shape (repeatable)")
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        parser.error("no such file or folder: " + ", ".join(missing))
    if not args.values_from_env and not args.shape:
        parser.error("give --values-from-env VAR and/or --shape NAME")
    values = {var: os.environ[var] for var in args.values_from_env if os.environ.get(var)}
    unset = [var for var in args.values_from_env if var not in values]
    if unset:
        print("leak scan: not set, skipped: " + ", ".join(unset), file=sys.stderr)
    hits = scan(args.paths, values) + scan_shapes(args.paths, args.shape)
    for hit in hits:
        print(f"leak scan: {hit}", file=sys.stderr)
    if hits:
        print(f"leak scan: FAILED, {len(hits)} leak(s) — the files above must not be shared", file=sys.stderr)
        return 1
    print(f"leak scan: clean ({len(values)} value(s), {len(args.shape)} shape(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
