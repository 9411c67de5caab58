"""HTTP transcripts are readable and masked: no credential, no JWT, but the token's claims decoded."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx
import pytest

from harness import transcripts
from harness.http import client
from harness.secrets import MASK, Secret, forget_all

CLIENT_SECRET = "abc8" "Q~Zx9yW_v8.u7T-s6R5q4P3o2N1m0LkJiHgF"
CLAIMS = {"aud": "https://api.businesscentral.dynamics.com", "roles": ["API.ReadWrite.All"], "exp": 1893456000}


def _jwt(claims: dict) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJSUzI1NiJ9.{part}.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


JWT = _jwt(CLAIMS)


def _service(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/token"):
        return httpx.Response(200, json={"token_type": "Bearer", "access_token": JWT, "refresh_token": "r" * 40,
                                         "id_token": JWT})
    if request.url.path.endswith("/echo"):
        return httpx.Response(400, text=f"bad request: {request.content.decode()}")
    return httpx.Response(401, json={"error": {"code": "Authentication_InvalidCredentials", "message": "no"}})


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    transcripts.drain()
    with client(None, 5, transport=httpx.MockTransport(_service)) as c:
        yield c
    forget_all()


def _one_transcript() -> str:
    entries = transcripts.drain()
    assert entries, "nothing was recorded"
    return transcripts.render(entries)


def test_token_request_masks_the_client_secret_and_shows_claims_instead_of_tokens(http: httpx.Client) -> None:
    secret = Secret(CLIENT_SECRET, "client_secret")
    http.post("https://login.example.test/t/oauth2/v2.0/token",
              data={"grant_type": "client_credentials", "client_secret": secret.reveal(), "client_id": "abc"})
    text = _one_transcript()
    assert CLIENT_SECRET not in text and JWT not in text and "r" * 40 not in text
    assert f"client_secret={MASK}" in text and "client_id=abc" in text
    assert "POST https://login.example.test/t/oauth2/v2.0/token" in text and "HTTP 200 OK" in text
    assert '"access_token": "' + MASK + ' (JWT, claims below)"' in text
    assert "decoded access_token claims:" in text and '"API.ReadWrite.All"' in text
    assert "exp = 2030-01-01T00:00:00+00:00" in text


def test_bearer_header_and_sensitive_query_values_are_masked(http: httpx.Client) -> None:
    http.get("https://api.example.test/v2.0/companies?code=AUTHCODE123456&$top=1&access_token=" + JWT,
             headers={"Authorization": f"Bearer {JWT}", "Cookie": "session=abcdefgh12345"})
    text = _one_transcript()
    assert JWT not in text and "AUTHCODE123456" not in text and "abcdefgh12345" not in text
    assert f"authorization: Bearer {MASK} (JWT, claims below)" in text
    assert "decoded authorization claims:" in text
    assert "%24top=1" in text or "$top=1" in text
    assert "Authentication_InvalidCredentials" in text and "HTTP 401" in text


def test_client_assertion_in_form_and_revealed_values_echoed_back_are_masked(http: httpx.Client) -> None:
    echoed = Secret("p@ssw0rd-for-the-echo", "dm_password").reveal()
    http.post("https://login.example.test/echo", data={"client_assertion": JWT, "note": echoed})
    text = _one_transcript()
    assert JWT not in text and echoed not in text
    assert f"client_assertion={MASK} (JWT, claims below)" in text


def test_drain_returns_each_exchange_once(http: httpx.Client) -> None:
    http.get("https://api.example.test/a")
    http.get("https://api.example.test/b")
    assert [e["url"] for e in transcripts.drain()] == ["https://api.example.test/a", "https://api.example.test/b"]
    assert transcripts.drain() == []
    assert transcripts.render([]) == ""


def test_jwt_claims_rejects_non_tokens() -> None:
    assert transcripts.jwt_claims("not-a-jwt") is None
    assert transcripts.jwt_claims("a.b.c") is None
    assert transcripts.jwt_claims(JWT) == CLAIMS
