"""Prove that no secret reached an artifact: normalise what the files hold, then search it.

Guessing every encoding of a secret loses to the next encoding nobody thought of (a browser writes `~` as `%7E` in
a form body; Python's `quote` leaves it alone). So the scan decodes the *haystack* instead, recursively:
- containers: zip members (nested zips too), gzip, zlib and raw deflate streams (found by magic or by trying);
- base64 and base64url runs, at all four character alignments (a secret inside a larger base64 blob, a data: URL
  or a payload a single-file HTML report embeds is found too), line-wrapped base64 included;
- text views: JSON string unescaping (`\\u007e`, `\\/`), HTML unescaping (`&#126;`, `&#x7E;`, `&amp;`),
  percent-decoding in either case (`%7E`, `%7e`, `%257E` on the next round) and form decoding (`+` as a space),
  applied in turn for two rounds, every intermediate view searched.
Each view is searched for the plain values (`scan`: `harness.secrets.revealed_values()` at session end) and for the
Entra client-secret shape (`scan_shapes`: for artifacts made after the values are gone, e.g. the HTML report).

A hit names the file (and zip member) and the chain of decodings that exposed it, never the value.

`redact` is the other half, for scrubbers: it masks each value and secret shape *in the original encoding* (every
character may be literal, percent-, JSON- or HTML-encoded) and says whether the result is clean by this scan.

CLI: python -m harness.leak_scan PATH... [--values-from-env VAR ...] [--shape entra-secret]
"""

from __future__ import annotations

import argparse
import base64
import binascii
import codecs
import html
import html.entities
import io
import json
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Entra ID client secrets: 3 chars, a digit, "Q~", then 31-34 chars (e.g. "abc8Q~…").
SHAPES = {"entra-secret": re.compile(rb"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
                                     rb"(?![A-Za-z0-9_~.-])")}
SHAPE_ANCHORS = {"entra-secret": b"Q~"}  # a literal every match contains: regex only where it occurs
MIN_VALUE_LEN = 8
# Runs this long are decoded: the shortest that can hold an Entra secret (40 bytes) in any encoding. Shorter runs
# are mostly identifiers and words (tens of thousands in a trace); a value short enough to hide in one (a
# password, a seed) is found there by its own base64 forms instead (`_base64_forms`).
MIN_B64_RUN = 54
MIN_B64_DECODED = (MIN_B64_RUN * 3) // 4
MIN_B64_CHUNK = 12
MAX_DEPTH = 6  # file → zip → member → base64 → gzip → …
MAX_INFLATED = 64 * 1024 * 1024  # per stream: a compression bomb is not an artifact
ROUNDS = 2  # JSON → HTML → percent, twice: "%5Cu007e" needs percent then JSON
BINARY_SAMPLE = 8192
GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_EMBEDDED_STREAMS = 256

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
# Every byte → "A" (a base64 or base64url character) or " " (anything else): runs are then found with bytes.find,
# at memchr speed, instead of a regex trying every position of every word.
_B64_CLASSES = bytes(ord("A") if byte in _B64_ALPHABET else ord(" ") for byte in range(256))
_LONG_RUN = b"A" * MIN_B64_RUN
_LINE_BREAK = re.compile(rb"\r?\n")
_URLSAFE_TO_STD = bytes.maketrans(b"-_", b"+/")
_STD_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_HTML_REF = re.compile(rb"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
# Starts with a literal backslash: the regex engine then skips to each one at memchr speed (an alternation of
# two patterns is 50 times slower on a trace). A UTF-16 surrogate pair is one escape.
_JSON_ESCAPE = re.compile(rb'\\(?:u[dD][89abAB][0-9A-Fa-f]{2}\\u[dD][c-fC-F][0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}'
                          rb'|["\\/bfnrt])')
_JSON_SIMPLE = {b'\\"': b'"', b"\\\\": b"\\", b"\\/": b"/", b"\\b": b"\b", b"\\f": b"\f", b"\\n": b"\n",
                b"\\r": b"\r", b"\\t": b"\t"}


@dataclass(frozen=True)
class Hit:
    path: str  # file, or "file!member" inside a zip
    encoding: str  # the decodings that exposed it ("plain" when none), e.g. "base64 → gzip → percent-decoded"
    label: str = ""  # which secret (its label, or the shape's name), never the value

    def __str__(self) -> str:
        which = f" [{self.label}]" if self.label else ""
        return f"{self.path}: secret found ({self.encoding}){which}"


@dataclass
class Stats:
    """What a scan searched: said out loud so a clean result can be judged."""

    values: int = 0
    shapes: int = 0
    files: int = 0
    bytes: int = 0
    older: int = 0  # files left out because they predate the scan's `modified_since`

    def add(self, other: Stats) -> None:
        """Sum of several scans (xdist workers each search their own values in the same folders)."""
        self.values += other.values
        self.shapes = max(self.shapes, other.shapes)
        self.files += other.files
        self.bytes += other.bytes
        self.older = max(self.older, other.older)

    def __str__(self) -> str:
        older = f" (and {self.older} older file(s) left out)" if self.older else ""
        return (f"{self.values} value(s) and {self.shapes} shape(s) in {self.files} file(s), "
                f"{self.bytes / 1e6:.1f} MB{older}")


@dataclass
class Result:
    hits: list[Hit] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)


# --- decoding the haystack ------------------------------------------------------------------------------------


def _percent(data: bytes) -> bytes | None:
    if b"%" not in data:
        return None
    return _PERCENT.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _form(data: bytes) -> bytes | None:
    if b"+" not in data:
        return None
    return _PERCENT.sub(lambda m: bytes([int(m.group(1), 16)]), data.replace(b"+", b" "))


def _html_ref(match: re.Match[bytes]) -> bytes:
    return html.unescape(match.group().decode("ascii")).encode("utf-8", "surrogatepass")


def _html(data: bytes) -> bytes | None:
    if b"&" not in data:
        return None
    return _HTML_REF.sub(_html_ref, data)


def _json_escape(match: re.Match[bytes]) -> bytes:
    text = match.group()
    if text[1:2] != b"u":
        return _JSON_SIMPLE[text]
    return json.loads(b'"' + text + b'"').encode("utf-8", "surrogatepass")


def _json(data: bytes) -> bytes | None:
    if b"\\" not in data:
        return None
    return _JSON_ESCAPE.sub(_json_escape, data)


TEXT_DECODERS: tuple[tuple[str, Callable[[bytes], bytes | None]], ...] = (
    ("json-unescaped", _json), ("html-unescaped", _html), ("percent-decoded", _percent))


def text_views(data: bytes, *, form: bool = False) -> Iterator[tuple[tuple[str, ...], bytes]]:
    """Every distinct intermediate decoding of text (not the input itself), with the steps that made it."""
    current, chain = data, ()
    for _ in range(ROUNDS):
        changed = False
        for name, decode in TEXT_DECODERS:
            if form and name == "percent-decoded":
                decoded = _form(current)
                if decoded is not None and decoded != current:
                    yield (*chain, "form-decoded"), decoded
            decoded = decode(current)
            if decoded is not None and decoded != current:
                current, chain, changed = decoded, (*chain, name), True
                yield chain, current
        if not changed:
            return


def _inflate(data: bytes, wbits: int) -> bytes | None:
    """Decompress one stream (gzip, zlib or raw deflate by `wbits`), capped; None when it is not one."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, MAX_INFLATED)
    except zlib.error:
        return None
    return out or None


def _is_zlib_header(data: bytes) -> bool:
    return len(data) > 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0


def _zip_members(data: bytes) -> Iterator[tuple[str, bytes]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None

    def members() -> Iterator[tuple[str, bytes]]:
        with archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                try:
                    yield member.filename, archive.read(member)
                except (zipfile.BadZipFile, zlib.error, ValueError, OSError, NotImplementedError):
                    yield member.filename, b""  # unreadable member: nothing to search, nothing leaked
    return members()


MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"RIFF")
PLAUSIBLE_MIN = 24  # shorter decodes are kept at every alignment: too short to judge


def _plausible(decoded: bytes) -> bool:
    """Text or a known file type: what an encoder's own alignment yields (the other three give noise)."""
    return len(decoded) >= PLAUSIBLE_MIN and (decoded.startswith(MAGIC) or _is_zlib_header(decoded)
                                              or _is_text(decoded))


def _decode_b64(line: bytes, offsets: Iterable[int]) -> Iterator[tuple[str, bytes]]:
    """Decode at each offset; once one gives text or a known file type, that is the encoder's alignment."""
    name = "base64url" if (b"-" in line or b"_" in line) else "base64"
    std = line.translate(_URLSAFE_TO_STD) if name == "base64url" else line
    decoded: list[bytes] = []
    for offset in offsets:
        chunk = std[offset:] if offset else std
        tail = len(chunk) % 4  # a last partial quantum still holds whole bytes (its padding stripped)
        if tail == 1:
            chunk = chunk[:-1]
        elif tail:
            chunk += b"=" * (4 - tail)
        if len(chunk) < MIN_B64_CHUNK:
            continue
        payload = binascii.a2b_base64(chunk)
        if _plausible(payload):
            yield name, payload
            return
        decoded.append(payload)
    for payload in decoded:
        yield name, payload


def _base64_runs(view: bytes) -> Iterator[tuple[bytes, int]]:
    """Runs of at least MIN_B64_RUN base64 characters, continued over line breaks (MIME and PEM wrap base64 at 64
    or 76 characters); with the offset where each ends."""
    classes = view.translate(_B64_CLASSES)
    start = classes.find(_LONG_RUN)
    while start != -1:
        end = classes.find(b" ", start)
        end = len(view) if end == -1 else end
        while True:  # a line break followed by more base64: the same wrapped blob
            wrap = _LINE_BREAK.match(view, end)
            if wrap is None or classes[wrap.end():wrap.end() + 1] != b"A":
                break
            end = classes.find(b" ", wrap.end())
            end = len(view) if end == -1 else end
        yield view[start:end], end
        start = classes.find(_LONG_RUN, end)


def _base64_payloads(view: bytes) -> Iterator[tuple[str, bytes]]:
    """Each base64/base64url run decoded at the four character alignments (one of them is the encoder's).

    A run followed by '=' padding ends where the encoder ended, which fixes its alignment: one decode suffices."""
    for run, end in _base64_runs(view):
        padding = 2 if view[end:end + 2] == b"==" else 1 if view[end:end + 1] == b"=" else 0
        lines = [run] if b"\n" not in run else [ln.strip(b"\r") for ln in run.split(b"\n")]
        if len(lines) > 1:  # wrapped: each line on its own (unrelated lines), and joined (one wrapped blob)
            lines.append(b"".join(lines))
        padded = {len(lines) - 1, len(lines) - 2 if len(lines) > 1 else -1} if padding else set()
        for index, line in enumerate(lines):
            if len(line) >= MIN_B64_CHUNK:
                yield from _decode_b64(line, [(len(line) + padding) % 4] if index in padded else range(4))


def _is_binary(data: bytes) -> bool:
    """NUL bytes near the start (as grep and git judge): no text encoding of a secret to undo."""
    return b"\0" in data[:BINARY_SAMPLE]


def _is_text(data: bytes) -> bool:
    """UTF-8 (or ASCII) at the start: compressed streams never are."""
    sample = data[:BINARY_SAMPLE]
    if sample.isascii():
        return True
    try:
        codecs.utf_8_decode(sample, "strict", False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def _streams(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Compressed streams in a blob: gzip/zlib by magic at the start, raw deflate by trying (it has no magic) on
    what is not text, and gzip members further in (e.g. a body appended to a header)."""
    inflated = None
    if data[:2] == b"\x1f\x8b":
        inflated = _inflate(data, 16 + zlib.MAX_WBITS)
        if inflated is not None:
            yield "gzip", inflated
    elif _is_zlib_header(data):
        inflated = _inflate(data, zlib.MAX_WBITS)
        if inflated is not None:
            yield "zlib", inflated
    if inflated is None and not _is_text(data):
        inflated = _inflate(data, -zlib.MAX_WBITS)
        if inflated is not None:
            yield "deflate", inflated
    position = data.find(GZIP_MAGIC, 1)
    for _ in range(MAX_EMBEDDED_STREAMS):
        if position == -1:
            return
        if data[position + 3:position + 4] < b"\x20":  # FLG: reserved bits clear
            inflated = _inflate(data[position:], 16 + zlib.MAX_WBITS)
            if inflated is not None:
                yield "gzip", inflated
        position = data.find(GZIP_MAGIC, position + 1)


def views(location: str, data: bytes, *, form: bool = False, depth: int = 0, chain: tuple[str, ...] = ()
          ) -> Iterator[tuple[str, tuple[str, ...], bytes]]:
    """(location, decoding chain, bytes) for a blob and everything decodable inside it, recursively."""
    members = _zip_members(data) if data[:2] == b"PK" and depth < MAX_DEPTH else None
    if members is not None:  # the members are what a reader sees (stored ones would otherwise count twice)
        for name, content in members:
            yield from views(f"{location}!{name}", content, form=form, depth=depth + 1, chain=chain)
        return
    yield location, chain, data
    if depth >= MAX_DEPTH or not data:
        return
    for name, inflated in _streams(data):
        yield from views(location, inflated, form=form, depth=depth + 1, chain=(*chain, name))
    binary = _is_binary(data)
    last = data
    if not binary:
        for steps, view in text_views(data, form=form):
            yield location, (*chain, *steps), view
            last = view
    # base64 inside text (and inside files and zip members as written); not inside bytes that came out of a
    # decoder themselves, where a run of base64 letters is noise
    if binary and chain:
        return
    seen: set[bytes] = set()
    for source in (data, last) if last is not data else (data,):
        for name, payload in _base64_payloads(source):
            if payload not in seen:
                seen.add(payload)
                yield from views(location, payload, form=form, depth=depth + 1, chain=(*chain, name))


# --- searching ------------------------------------------------------------------------------------------------


def _labelled(values: Iterable[str] | dict[str, str]) -> dict[str, bytes]:
    """label → value bytes ("" labels for anonymous values), too-short values dropped."""
    pairs = values.items() if isinstance(values, dict) else ((f"\0{i}", v) for i, v in enumerate(sorted(values)))
    return {label: value.encode("utf-8") for label, value in pairs if len(value) >= MIN_VALUE_LEN}


def _has_shape(view: bytes, shape: str) -> bool:
    anchor = SHAPE_ANCHORS[shape]
    position = view.find(anchor)
    regex = SHAPES[shape]
    while position != -1:
        if regex.search(view, max(0, position - 48), position + 48):
            return True
        position = view.find(anchor, position + 1)
    return False


def find(location: str, data: bytes, values: dict[str, bytes], shapes: Iterable[str] = ()) -> list[Hit]:
    """Hits in one blob: at most one per (location, secret), the first decoding chain that exposed it."""
    shapes = tuple(shapes)
    form = any(b" " in value for value in values.values())
    short = {label: _base64_forms(value) for label, value in values.items() if len(value) < MIN_B64_DECODED}
    found: dict[tuple[str, str], Hit] = {}
    for where, chain, view in views(location, data, form=form):
        for label, value in values.items():
            if (where, label) in found:
                continue
            steps = chain if value in view else next(
                ((*chain, name) for form_bytes, name in short.get(label, {}).items() if form_bytes in view), None)
            if steps is not None:
                found[where, label] = Hit(where, " → ".join(steps) or "plain", "" if label.startswith("\0") else label)
        for shape in shapes:
            if (where, shape) not in found and _has_shape(view, shape):
                found[where, shape] = Hit(where, " → ".join(chain) or "plain", shape)
    by_value = {where for (where, label) in found if label not in shapes}
    # a shape hit says something only where no value was found (a secret nobody revealed)
    return [hit for (where, label), hit in found.items() if label not in shapes or where not in by_value]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())


def search(paths: Iterable[str | Path], values: Iterable[str] | dict[str, str] = (),
           shapes: Iterable[str] = (), modified_since: float | None = None) -> Result:
    """Search files for secret values and shapes; `values` may map label → value so a hit says which leaked.
    With `modified_since` (a time.time()), files last written before it are left out and counted."""
    labelled = _labelled(values)
    shapes = tuple(shapes)
    result = Result(stats=Stats(values=len(labelled), shapes=len(shapes)))
    if not labelled and not shapes:
        return result
    seen: set[Path] = set()
    for file in iter_files(paths):
        if file.resolve() in seen:  # a folder and a file inside it both given
            continue
        seen.add(file.resolve())
        try:
            if modified_since is not None and file.stat().st_mtime < modified_since:
                result.stats.older += 1
                continue
            content = file.read_bytes()
        except OSError:  # vanished or unreadable while scanning: not an artifact anyone can share either
            continue
        result.stats.files += 1
        result.stats.bytes += len(content)
        result.hits.extend(find(str(file), content, labelled, shapes))
    return result


def scan(paths: Iterable[str | Path], values: Iterable[str] | dict[str, str]) -> list[Hit]:
    """Search files for secret values in any encoding the scan can undo."""
    return search(paths, values).hits


def scan_shapes(paths: Iterable[str | Path], shapes: Iterable[str] = ("entra-secret",)) -> list[Hit]:
    """Search files for strings shaped like a secret (for artifacts made after the values are gone)."""
    return search(paths, (), shapes).hits


# --- masking in the original encoding (for scrubbers) --------------------------------------------------------


def _html_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for name, char in html.entities.html5.items():
        if len(char) == 1:
            names.setdefault(char, []).append(name)
    return names


_HTML_NAMES = _html_names()


def _char_forms(char: str) -> bytes:
    """A regex for one character as a browser, a JSON writer or an HTML writer may have encoded it."""
    raw = char.encode("utf-8", "surrogatepass")
    forms = [re.escape(raw)]
    forms.append(b"".join(b"%(?:25)?(?i:" + b"%02x" % byte + b")" for byte in raw))
    if char == " ":
        forms.append(rb"\+")
    code = ord(char)
    json_nesting = rb"\\*"  # JSON inside a JSON string: more backslashes at each level
    if code > 0xFFFF:
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.append(json_nesting + rb"\\u(?i:%04x)" % high + json_nesting + rb"\\u(?i:%04x)" % low)
    else:
        forms.append(json_nesting + rb"\\u(?i:%04x)" % code)
    escaped = json.dumps(char)[1:-1].encode()
    if escaped != raw and not escaped.startswith(b"\\u"):
        forms.append(json_nesting + re.escape(escaped))  # \" \\ \n …
    if char == "/":
        forms.append(json_nesting + rb"\\/")
    forms.append(rb"&#0*%d;?" % code)
    forms.append(rb"&#[xX]0*(?i:%x);?" % code)
    forms.extend(re.escape(b"&" + name.encode()) for name in _HTML_NAMES.get(char, ()))
    return b"(?:" + b"|".join(forms) + b")"


def value_pattern(value: str) -> re.Pattern[bytes]:
    """Matches the value with each character in any of its encodings (the span to mask in the original)."""
    return re.compile(b"".join(_char_forms(char) for char in value))


_TILDE = _char_forms("~")
SHAPE_SPANS = {"entra-secret": re.compile(
    rb"(?<![A-Za-z0-9_~.-])(?:[A-Za-z0-9_.]|" + _TILDE + rb"){3}[0-9]Q" + _TILDE
    + rb"(?:[A-Za-z0-9_.-]|" + _TILDE + rb"){31,34}(?![A-Za-z0-9_~.-])")}


def _base64_forms(value: bytes) -> dict[bytes, str]:
    """The base64 characters fully determined by `value` at each alignment (standard and URL-safe)."""
    forms: dict[bytes, str] = {}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + value)
        start = -(-8 * offset // 6)
        window = encoded[start:(8 * (offset + len(value))) // 6]
        if len(window) >= MIN_VALUE_LEN:
            forms.setdefault(window, "base64")
            forms.setdefault(window.translate(_STD_TO_URLSAFE), "base64url")
    return forms


_SHAPE_HINT = re.compile(rb"Q(?:~|%(?:25)?7[eE]|\\u007[eE]|&#)")  # a literal first: cheap to rule out


def redact(data: bytes, values: Iterable[str], mask: bytes, shapes: Iterable[str] = ("entra-secret",)
           ) -> tuple[bytes, int, list[Hit]]:
    """Mask every value and secret shape where it sits, in whatever encoding it was written; returns the new
    bytes, the number of spans masked and what the scan still finds afterwards (empty: safe to keep)."""
    usable = sorted({v for v in values if len(v) >= MIN_VALUE_LEN}, key=len, reverse=True)  # longest first
    labelled = {f"value {index}": value.encode("utf-8") for index, value in enumerate(usable)}
    shapes = tuple(shapes)
    hits = find("", data, labelled, shapes)
    if not hits:
        return data, 0, []
    leaked = {hit.label for hit in hits}
    count = 0
    for index, value in enumerate(usable):
        if f"value {index}" not in leaked:  # masking costs a regex pass per value: only those the scan found
            continue
        data, n = value_pattern(value).subn(mask, data)
        count += n
        for form in sorted(_base64_forms(value.encode("utf-8")), key=len, reverse=True):
            n = data.count(form)
            if n:
                data, count = data.replace(form, mask), count + n
    if _SHAPE_HINT.search(data):
        for shape in shapes:
            data, n = SHAPE_SPANS[shape].subn(mask, data)
            count += n
    return data, count, find("", data, labelled, shapes)


# --- CLI ----------------------------------------------------------------------------------------------------


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
    result = search(args.paths, values, args.shape)
    for hit in result.hits:
        print(f"leak scan: {hit}", file=sys.stderr)
    if result.hits:
        print(f"leak scan: FAILED, {len(result.hits)} leak(s) — the files above must not be shared "
              f"(searched {result.stats})", file=sys.stderr)
        return 1
    print(f"leak scan: clean — searched {result.stats}, decoded (zip, gzip/deflate, base64, percent/form, "
          "HTML, JSON)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
