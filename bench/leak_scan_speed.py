"""harness.leak_scan throughput over a synthetic results folder (~50 MB) with a few planted secrets.

The planted hits are checked: a scanner that misses them has no speed worth printing.
"""

from __future__ import annotations

import base64
import json
import random
import string
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType

from bench.figures import Figure, failed

MB = 1_000_000
ENTRA_CHARS = string.ascii_letters + string.digits + "_~.-"


def _entra_like_secret(rng: random.Random) -> str:
    """Shaped like an Entra client secret: 3 characters, a digit, 'Q~', 34 more."""
    return ("".join(rng.choices(string.ascii_letters, k=3)) + rng.choice(string.digits) + "Q~"
            + "".join(rng.choices(ENTRA_CHARS, k=34)))


def _filler(rng: random.Random, size: int) -> bytes:
    """Base64 text: report-like bytes that can neither contain an Entra secret shape ('~') nor a planted value."""
    return base64.b64encode(rng.randbytes(size * 3 // 4))[:size]


def _build(folder: Path, rng: random.Random, total_mb: int) -> tuple[dict[str, str], set[tuple[str, str]],
                                                                      set[str]]:
    """Write the folder; returns the values (label → value), the expected value hits (path, label) and the
    files the shape scan must flag."""
    values = {f"secret-{i}": _entra_like_secret(rng) for i in range(5)}  # 2 of them are never planted
    results = folder / "allure-results"
    results.mkdir()
    files = max(total_mb - 5, 1)
    for index in range(files):  # ~1 MB per result file
        body = {"uuid": f"{index:08d}", "name": f"scenario {index}", "attachment": _filler(rng, MB).decode()}
        (results / f"{index:04d}-result.json").write_text(json.dumps(body))
    plain_file = results / "0000-result.json"
    plain_file.write_text(plain_file.read_text().replace('"attachment": "', f'"attachment": "{values["secret-0"]} ', 1))
    log = results / "0007-attachment.txt"
    log.write_bytes(_filler(rng, MB // 2) + b"\n" + base64.b64encode(values["secret-1"].encode())
                    + b"\n" + _filler(rng, MB // 2))
    trace = folder / "trace.zip"
    with zipfile.ZipFile(trace, "w", compression=zipfile.ZIP_STORED) as archive:
        for member in range(4):
            archive.writestr(f"resources/{member}.txt", _filler(rng, MB))
        archive.writestr("trace.network", _filler(rng, MB // 2) + b"\n" + values["secret-2"].encode() + b"\n"
                         + _filler(rng, MB // 2))
    expected = {(str(plain_file), "secret-0"), (str(log), "secret-1"), (f"{trace}!trace.network", "secret-2")}
    shaped = {str(plain_file), str(log), f"{trace}!trace.network"}  # the log's base64 is decoded too
    return values, expected, shaped


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _leak_scan() -> ModuleType | None:
    try:
        from harness import leak_scan
    except ImportError:
        return None
    return leak_scan


def run(total_mb: int = 50) -> list[Figure]:
    leak_scan = _leak_scan()
    if leak_scan is None:
        print("note: harness.leak_scan is not importable yet; leak-scan benchmark skipped")
        return [failed("Leak scan by value", "MB/s", "skipped: harness.leak_scan not importable")]
    with tempfile.TemporaryDirectory(prefix="bcoauth-bench-leak-") as root:
        folder = Path(root)
        values, expected, shaped = _build(folder, random.Random(20240601), total_mb)
        size_mb = _size(folder) / MB
        started = time.perf_counter()
        hits = leak_scan.scan([folder], values)
        by_value_s = time.perf_counter() - started
        started = time.perf_counter()
        shape_hits = leak_scan.scan_shapes([folder])
        by_shape_s = time.perf_counter() - started
    found = {(hit.path, hit.label) for hit in hits}
    if found != expected:
        return [failed("Leak scan by value", "MB/s", f"wrong hits: missed {sorted(expected - found)}, "
                                                     f"extra {sorted(found - expected)}")]
    figures = [Figure("Leak scan by value", size_mb / by_value_s, "MB/s",
                      f"{size_mb:.0f} MB ({len(values)} values × all encodings, incl. a stored zip) in "
                      f"{by_value_s:.2f} s; all {len(expected)} planted hits found")]
    if {hit.path for hit in shape_hits} != shaped:
        figures.append(failed("Leak scan by shape", "MB/s", "the Entra-secret shape scan missed or over-reported"))
    else:
        figures.append(Figure("Leak scan by shape", size_mb / by_shape_s, "MB/s",
                              f"Entra client-secret regex, {by_shape_s:.2f} s; {len(shaped)} planted hits found"))
    return figures
