"""The leak scan decodes what artifacts hold (zip, gzip/deflate, base64, percent/form, HTML, JSON) and finds a secret
in every encoding a report, a trace or a browser may use — and never prints it."""

from __future__ import annotations

import base64
import gzip
import html
import io
import json
import os
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from harness import leak_scan

SECRET = "abc8Q~Zx9yW_v8.u7T-s6R5q4P3o2N1m0L+kJ/iHgF"  # '+' and '/' exercise URL encoding
# The shape Entra hands out, built at run time so the repository never holds a secret-shaped literal.
ENTRA_SECRET = "abc8" + "Q" + "~" + "Zx9yW_v8.u7T-s6R5q4P3o2N1m0LkJiHgF"
PASSWORD = "correct horse ~ battery staple"  # spaces: form encoding writes them as '+'


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _browser_form_encoding(value: str) -> str:
    """What Chromium writes in an application/x-www-form-urlencoded body: '~' as %7E, ' ' as '+'."""
    return quote_plus(value, safe="").replace("~", "%7E")


def _only_hit(tmp_path: Path, values: list[str] | dict[str, str]) -> leak_scan.Hit:
    hits = leak_scan.scan([tmp_path], values)
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize("prefix", [b"", b"x", b"xy", b"xyz", b"Authorization: Basic "])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_finds_the_secret_inside_larger_base64_at_any_alignment(tmp_path: Path, prefix: bytes, encode) -> None:
    _write(tmp_path, "blob.txt", b"data=" + encode(prefix + SECRET.encode() + b"&rest=1") + b"\n")
    assert _only_hit(tmp_path, [SECRET]).encoding in ("base64", "base64url")


def test_finds_base64_glued_to_other_base64_letters(tmp_path: Path) -> None:
    """A run that does not start where the encoder started (a path or a name in front) still decodes."""
    for glue in (b"v1", b"api/v1/", b"abc"):
        _write(tmp_path, "url.txt", b"GET /" + glue + base64.urlsafe_b64encode(b"{'s': '" + SECRET.encode() + b"'}"))
        assert _only_hit(tmp_path, [SECRET]).encoding.startswith("base64")


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_finds_a_short_value_in_a_short_base64_run(tmp_path: Path, encode) -> None:
    """Runs under 54 characters are not decoded (too many identifiers look like base64); short values are found
    there by their own base64 forms."""
    _write(tmp_path, "trace.network", b'{"authorization":"Basic ' + encode(b"admin:Pa55word!~x") + b'"}')
    assert _only_hit(tmp_path, ["Pa55word!~x"]).encoding in ("base64", "base64url")


def test_finds_line_wrapped_base64(tmp_path: Path) -> None:
    _write(tmp_path, "mail.eml", b"Content-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(b"x" * 100 + SECRET.encode() + b"y" * 100).replace(b"\n", b"\r\n"))
    assert _only_hit(tmp_path, [SECRET]).encoding == "base64"


@pytest.mark.parametrize("form", [SECRET, quote(SECRET, safe=""), quote(SECRET), quote_plus(SECRET),
                                  json.dumps({"s": SECRET})],
                         ids=["plain", "quote-all", "quote", "quote-plus", "json"])  # ids: no secret in JUnit
def test_finds_plain_and_url_encoded_forms(tmp_path: Path, form: str) -> None:
    _write(tmp_path, "sub/result.json", f"prefix {form} suffix".encode())
    assert _only_hit(tmp_path, [SECRET]).path.endswith("sub/result.json")


@pytest.mark.parametrize("tilde", ["%7E", "%7e", "%257E"])
def test_finds_percent_encoding_in_either_case_and_twice(tmp_path: Path, tilde: str) -> None:
    _write(tmp_path, "body.dat", f"role=DMSAGENT&clientSecret={ENTRA_SECRET.replace('~', tilde)}&x=1".encode())
    hit = _only_hit(tmp_path, {"client_secret": ENTRA_SECRET})
    assert hit.encoding.endswith("percent-decoded") and hit.label == "client_secret"


def test_finds_a_form_encoded_body_with_plus_for_space(tmp_path: Path) -> None:
    _write(tmp_path, "login.dat", f"area=DEMO01&password={_browser_form_encoding(PASSWORD)}".encode())
    assert _only_hit(tmp_path, [PASSWORD]).encoding == "form-decoded"


@pytest.mark.parametrize("entity", ["&#126;", "&#x7e;", "&#X7E;", "&#0126;"])
def test_finds_html_character_references(tmp_path: Path, entity: str) -> None:
    _write(tmp_path, "page.html", f"<input value='{ENTRA_SECRET.replace('~', entity)}'>".encode())
    assert _only_hit(tmp_path, [ENTRA_SECRET]).encoding == "html-unescaped"


def test_finds_html_escaped_markup(tmp_path: Path) -> None:
    value = "p<w>&\"d'-0123"
    _write(tmp_path, "page.html", f"<p title=\"{html.escape(value)}\">".encode())
    assert _only_hit(tmp_path, [value]).encoding == "html-unescaped"


@pytest.mark.parametrize("escape", ["\\u007e", "\\u007E"])
def test_finds_json_unicode_escapes(tmp_path: Path, escape: str) -> None:
    _write(tmp_path, "trace.network", ('{"postData":"s=' + ENTRA_SECRET.replace("~", escape) + '"}').encode())
    assert _only_hit(tmp_path, [ENTRA_SECRET]).encoding == "json-unescaped"


def test_finds_json_escaped_slashes(tmp_path: Path) -> None:
    _write(tmp_path, "result.json", json.dumps({"v": SECRET}).replace("/", "\\/").encode())
    assert _only_hit(tmp_path, [SECRET]).encoding == "json-unescaped"


def test_finds_a_percent_encoded_json_escape(tmp_path: Path) -> None:
    _write(tmp_path, "x.txt", quote(ENTRA_SECRET.replace("~", "\\u007e"), safe="").encode())
    assert _only_hit(tmp_path, [ENTRA_SECRET]).encoding == "percent-decoded → json-unescaped"


def test_finds_a_gzip_compressed_secret(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"nothing to see " + gzip.compress(SECRET.encode()))  # not at the start: deflate
    _write(tmp_path, "b.gz", gzip.compress(b"token " + SECRET.encode()))
    hits = {Path(h.path).name: h.encoding for h in leak_scan.scan([tmp_path], [SECRET])}
    assert hits == {"a.txt": "gzip", "b.gz": "gzip"}
    _write(tmp_path, "a.txt", b"\x00\x01binary " + b"\x78\x9c")  # clean binary
    assert [Path(h.path).name for h in leak_scan.scan([tmp_path], [SECRET])] == ["b.gz"]


def _raw_deflate(data: bytes) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    return deflater.compress(data) + deflater.flush()


@pytest.mark.parametrize(("compress", "chain"), [(zlib.compress, "zlib"), (_raw_deflate, "deflate")])
def test_finds_zlib_and_raw_deflate_streams(tmp_path: Path, compress, chain: str) -> None:
    _write(tmp_path, "resources/body.dat", compress(b"clientSecret=" + _browser_form_encoding(SECRET).encode()))
    assert _only_hit(tmp_path, [SECRET]).encoding == f"{chain} → percent-decoded"


def test_finds_base64_of_gzip(tmp_path: Path) -> None:
    payload = base64.b64encode(gzip.compress(json.dumps({"secret": SECRET}).encode())).decode()
    _write(tmp_path, "result.json", json.dumps({"attachment": payload}).encode())
    assert _only_hit(tmp_path, [SECRET]).encoding == "base64 → gzip"


def test_finds_a_zip_inside_base64_and_names_the_member(tmp_path: Path) -> None:
    trace = _zip({"resources/0123abcd.dat": f"clientSecret={_browser_form_encoding(ENTRA_SECRET)}".encode()})
    _write(tmp_path, "index.html", b'<script>d("data:application/zip;base64,' + base64.b64encode(trace) + b'")')
    hit = _only_hit(tmp_path, [ENTRA_SECRET])
    assert hit.path.endswith("index.html!resources/0123abcd.dat")
    assert hit.encoding == "base64 → percent-decoded"


def test_looks_inside_zip_members_such_as_playwright_traces(tmp_path: Path) -> None:
    inner = _zip({"deep.txt": SECRET.encode()}, zipfile.ZIP_STORED)
    trace = _zip({"trace.trace": json.dumps({"type": "input", "value": SECRET}).encode() * 50,
                  "resources/page.html": b"<p>nothing here</p>", "nested.zip": inner}, zipfile.ZIP_STORED)
    _write(tmp_path, "test-results/t/trace.zip", trace)
    hits = leak_scan.scan([tmp_path], [SECRET])  # stored members count once, under their own names
    assert sorted(h.path.split("/")[-1] for h in hits) == ["trace.zip!nested.zip!deep.txt", "trace.zip!trace.trace"]


def test_the_dm_portal_update_body_in_a_trace_resource_is_found(tmp_path: Path) -> None:
    """The leak of issue 10: the form body Chromium sent, as Playwright stores it in resources/<sha1>.dat."""
    body = f"role=DMSAGENT&tenantId=t&clientId=c&clientSecret={_browser_form_encoding(ENTRA_SECRET)}&company=CRONUS"
    assert quote(ENTRA_SECRET, safe="") not in body and quote_plus(ENTRA_SECRET) not in body  # the old guesses
    _write(tmp_path, "x-attachment.zip", _zip({"trace.network": b"{}", "resources/5f0e.dat": body.encode()}))
    hit = _only_hit(tmp_path, {"client_secret": ENTRA_SECRET})
    assert str(hit).endswith("x-attachment.zip!resources/5f0e.dat: secret found (percent-decoded) [client_secret]")


def test_clean_files_give_no_hit_and_short_values_are_ignored(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"nothing to see " + gzip.compress(b"just text") + base64.b64encode(b"x" * 300))
    _write(tmp_path, "b.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert leak_scan.scan([tmp_path], [SECRET]) == []
    assert leak_scan.scan_shapes([tmp_path]) == []
    _write(tmp_path, "c.txt", b"pw=abc")
    assert leak_scan.scan([tmp_path], ["abc"]) == []  # too short to scan without false alarms


def test_hit_names_file_and_label_but_never_the_value(tmp_path: Path) -> None:
    _write(tmp_path, "junit.xml", f"<failure>{SECRET}</failure>".encode())
    hits = leak_scan.scan([tmp_path], {"client_secret": SECRET})
    assert str(hits[0]).endswith("junit.xml: secret found (plain) [client_secret]")
    assert SECRET not in str(hits[0])


def test_search_says_what_it_searched(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"x" * 1000)
    _write(tmp_path, "b/c.txt", b"y" * 500)
    result = leak_scan.search([tmp_path, tmp_path / "a.txt"], {"a": SECRET, "b": "short"}, ["entra-secret"])
    assert (result.stats.values, result.stats.shapes, result.stats.files, result.stats.bytes) == (1, 1, 2, 1500)
    assert str(result.stats) == "1 value(s) and 1 shape(s) in 2 file(s), 0.0 MB"


def test_shape_scan_finds_secrets_in_base64_embedded_in_a_single_file_report(tmp_path: Path) -> None:
    attachment = base64.b64encode(f"debug: secret={ENTRA_SECRET}".encode()).decode()
    _write(tmp_path, "index.html", f'<script>d("data/attachments/1.txt","{attachment}")</script>'.encode())
    hits = leak_scan.scan_shapes([tmp_path / "index.html"])
    assert [(h.label, h.encoding) for h in hits] == [("entra-secret", "base64")]
    assert hits[0].path.endswith("index.html")


@pytest.mark.parametrize("encode", [lambda s: s.replace("~", "%7e"), lambda s: s.replace("~", "&#126;"),
                                    lambda s: s.replace("~", "\\u007e")])
def test_shape_scan_decodes_before_matching(tmp_path: Path, encode) -> None:
    _write(tmp_path, "body.txt", f"secret={encode(ENTRA_SECRET)}&x=1".encode())
    assert [h.label for h in leak_scan.scan_shapes([tmp_path])] == ["entra-secret"]


def test_shape_scan_ignores_ordinary_text(tmp_path: Path) -> None:
    _write(tmp_path, "index.html", b"<p>client id 11111111-2222-3333-4444-555555555555, hint abc*****</p>")
    assert leak_scan.scan_shapes([tmp_path]) == []


@pytest.mark.parametrize("encoded", [
    _browser_form_encoding(ENTRA_SECRET), ENTRA_SECRET.replace("~", "%7e"), ENTRA_SECRET.replace("~", "\\u007E"),
    ENTRA_SECRET.replace("~", "&#126;"), json.dumps(ENTRA_SECRET)[1:-1], ENTRA_SECRET],
    ids=["browser-form", "percent-lower", "json-escape", "html-entity", "json-string", "plain"])
def test_redact_masks_the_span_in_its_original_encoding(encoded: str) -> None:
    data = f'{{"postData":"role=R&clientSecret={encoded}&company=CRONUS"}}'.encode()
    cleaned, count, left = leak_scan.redact(data, [ENTRA_SECRET], b"MASKED")
    assert (count, left) == (1, [])
    assert cleaned == b'{"postData":"role=R&clientSecret=MASKED&company=CRONUS"}'


def test_redact_masks_a_form_encoded_password_and_unrevealed_secret_shapes() -> None:
    other = "xyz1" + "Q" + "~" + "a" * 34  # never revealed: the shape still goes
    data = f"password={_browser_form_encoding(PASSWORD)}&s={other.replace('~', '%7E')}".encode()
    cleaned, count, left = leak_scan.redact(data, [PASSWORD], b"*")
    assert (cleaned, count, left) == (b"password=*&s=*", 2, [])


def test_redact_reports_what_it_cannot_rewrite() -> None:
    data = b"body=" + base64.b64encode(gzip.compress(SECRET.encode()))
    cleaned, count, left = leak_scan.redact(data, [SECRET], b"*")
    assert cleaned == data and count == 0 and [h.encoding for h in left] == ["base64 → gzip"]
    assert leak_scan.redact(b"clean text", [SECRET], b"*") == (b"clean text", 0, [])


def test_cli_fails_on_a_leak_without_printing_it(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, "report.html", f"<p>{SECRET}</p>".encode())
    monkeypatch.setenv("LEAKY", SECRET)
    assert leak_scan.main([str(tmp_path), "--values-from-env", "LEAKY"]) == 1
    out = capsys.readouterr()
    assert "report.html" in out.err and SECRET not in out.err + out.out
    _write(tmp_path, "report.html", f"<p>{ENTRA_SECRET.replace('~', '%7E')}</p>".encode())
    assert leak_scan.main([str(tmp_path), "--shape", "entra-secret"]) == 1


def test_cli_says_what_a_clean_scan_searched(tmp_path: Path, monkeypatch, capsys) -> None:
    _write(tmp_path, "report.html", b"<p>nothing</p>")
    monkeypatch.setenv("LEAKY", SECRET)
    assert leak_scan.main([str(tmp_path), "--values-from-env", "LEAKY", "--shape", "entra-secret"]) == 0
    assert "leak scan: clean — searched 1 value(s) and 1 shape(s) in 1 file(s)" in capsys.readouterr().out


def test_cli_rejects_bad_input_clearly(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        leak_scan.main([str(tmp_path / "missing")])
    assert exc.value.code == 2
    assert "no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        leak_scan.main([str(tmp_path)])  # neither values nor shapes


def test_files_older_than_modified_since_are_left_out_and_counted(tmp_path: Path) -> None:
    _write(tmp_path, "yesterday/report.txt", f"secret={SECRET}".encode())
    _write(tmp_path, "today/result.txt", f"secret={SECRET}".encode())
    old = tmp_path / "yesterday" / "report.txt"
    os.utime(old, (old.stat().st_atime, old.stat().st_mtime - 3600))
    result = leak_scan.search([tmp_path], [SECRET], modified_since=old.stat().st_mtime + 60)
    assert [Path(hit.path).parent.name for hit in result.hits] == ["today"]
    assert (result.stats.files, result.stats.older) == (1, 1)
    assert str(result.stats).endswith("(and 1 older file(s) left out)")
    assert len(leak_scan.search([tmp_path], [SECRET]).hits) == 2  # without it, every file
