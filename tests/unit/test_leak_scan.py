"""The leak scan finds a secret in every encoding an artifact may hold, and never prints it."""

from __future__ import annotations

import base64
import gzip
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from harness import leak_scan

SECRET = "abc8Q~Zx9yW_v8.u7T-s6R5q4P3o2N1m0L+kJ/iHgF"  # '+' and '/' exercise URL encoding
ENTRA_SECRET = "abc8" "Q~Zx9yW_v8.u7T-s6R5q4P3o2N1m0LkJiHgF"  # the shape Entra hands out


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy", b"xyz", b"Authorization: Basic "])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_finds_the_secret_inside_larger_base64_at_any_alignment(tmp_path: Path, prefix: bytes, encode) -> None:
    _write(tmp_path, "blob.txt", b"data=" + encode(prefix + SECRET.encode() + b"&rest=1") + b"\n")
    hits = leak_scan.scan([tmp_path], [SECRET])
    assert [h.encoding for h in hits] in (["base64"], ["base64url"])


@pytest.mark.parametrize("form", [SECRET, quote(SECRET, safe=""), quote(SECRET), quote_plus(SECRET),
                                  json.dumps({"s": SECRET})])
def test_finds_plain_and_url_encoded_forms(tmp_path: Path, form: str) -> None:
    _write(tmp_path, "sub/result.json", f"prefix {form} suffix".encode())
    hits = leak_scan.scan([tmp_path], [SECRET])
    assert len(hits) == 1
    assert hits[0].path.endswith("sub/result.json")


def test_looks_inside_zip_members_such_as_playwright_traces(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("trace.trace", json.dumps({"type": "input", "value": SECRET}) * 50)
        archive.writestr("resources/page.html", "<p>nothing here</p>")
    _write(tmp_path, "test-results/t/trace.zip", buffer.getvalue())
    hits = leak_scan.scan([tmp_path], [SECRET])
    assert [h.path.split("/")[-1] for h in hits] == ["trace.zip!trace.trace"]


def test_clean_files_give_no_hit_and_short_values_are_ignored(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"nothing to see " + gzip.compress(SECRET.encode()))
    assert leak_scan.scan([tmp_path], [SECRET]) == []
    _write(tmp_path, "b.txt", b"pw=abc")
    assert leak_scan.scan([tmp_path], ["abc"]) == []  # too short to scan without false alarms


def test_hit_names_file_and_label_but_never_the_value(tmp_path: Path) -> None:
    _write(tmp_path, "junit.xml", f"<failure>{SECRET}</failure>".encode())
    hits = leak_scan.scan([tmp_path], {"client_secret": SECRET})
    assert str(hits[0]).endswith("junit.xml: secret found (plain) [client_secret]")
    assert SECRET not in str(hits[0])


def test_shape_scan_finds_secrets_in_base64_embedded_in_a_single_file_report(tmp_path: Path) -> None:
    attachment = base64.b64encode(f"debug: secret={ENTRA_SECRET}".encode()).decode()
    _write(tmp_path, "index.html", f'<script>d("data/attachments/1.txt","{attachment}")</script>'.encode())
    hits = leak_scan.scan_shapes([tmp_path / "index.html"])
    assert [h.encoding for h in hits] == ["entra-secret"]
    assert "#embedded-1" in hits[0].path


def test_shape_scan_ignores_ordinary_text(tmp_path: Path) -> None:
    _write(tmp_path, "index.html", b"<p>client id 11111111-2222-3333-4444-555555555555, hint abc*****</p>")
    assert leak_scan.scan_shapes([tmp_path]) == []


def test_cli_fails_on_a_leak_without_printing_it(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, "report.html", f"<p>{SECRET}</p>".encode())
    monkeypatch.setenv("LEAKY", SECRET)
    assert leak_scan.main([str(tmp_path), "--values-from-env", "LEAKY"]) == 1
    out = capsys.readouterr()
    assert "report.html" in out.err and SECRET not in out.err + out.out
    _write(tmp_path, "report.html", f"<p>{ENTRA_SECRET}</p>".encode())
    assert leak_scan.main([str(tmp_path), "--shape", "entra-secret"]) == 1


def test_cli_rejects_bad_input_clearly(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        leak_scan.main([str(tmp_path / "missing")])
    assert exc.value.code == 2
    assert "no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        leak_scan.main([str(tmp_path)])  # neither values nor shapes
