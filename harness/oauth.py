"""Client-credentials tokens for Business Central through msal, verified like a resource server would.

A fresh msal app per attempt by default: msal replays an HTTP 400 from memory for 60 s and throttles after
429/5xx, so retries and negative checks need a clean client (FIDELITY.md §b.10). Passing the same `app` twice
shows msal's token cache (`source == "cache"`). The secret is revealed only inside the msal constructor call.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import msal

from harness import fix_hints, http
from harness.polling import PollTimeout, poll
from harness.secrets import Secret
from harness.service_error import ServiceError, gave_up, retry_after_s
from harness.settings import Settings

BC_RESOURCE = "https://api.businesscentral.dynamics.com"
BC_SCOPE = BC_RESOURCE + "/.default"
BC_AUDIENCES = frozenset(fix_hints.BC_AUDIENCES)
REPLICATION_CODES = (700016, 7000215)  # a new app / secret not yet visible to the token service
CLOCK_SKEW_S = 300


@dataclass
class TokenResult:
    access_token: Secret  # label "access_token"
    claims: dict[str, Any]  # verified and decoded
    source: str  # "identity_provider" or "cache"
    expires_in: int


class TokenError(ServiceError):
    """A token could not be obtained (or failed verification); one line with the code and a fix."""

    def __init__(self, *, error: str, description: str, code: int | None = None, status: int | None = None,
                 hint: str | None = None, retry_after: float | None = None) -> None:
        self.code = code
        self.error = error
        self.status = status
        self.description = description
        self.hint = hint if hint is not None else fix_hints.aadsts_hint(code)
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"AADSTS{self.code} {self.error}" if self.code is not None else self.error
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{head}{status}: {self.description} — hint: {self.hint}"


class _RecordingHttp:
    """msal's http_client: httpx underneath, remembering the last response so errors keep status and headers."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self.last: httpx.Response | None = None

    def post(self, url: str, params: Any = None, data: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        self.last = self._client.post(url, params=params, data=data, headers=headers, **kwargs)
        return self.last

    def get(self, url: str, params: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        self.last = self._client.get(url, params=params, headers=headers, **kwargs)
        return self.last

    def close(self) -> None:
        self._client.close()


_recorders: weakref.WeakKeyDictionary[msal.ConfidentialClientApplication, _RecordingHttp] = (
    weakref.WeakKeyDictionary())


def _first_line(description: str) -> str:
    line = description.splitlines()[0] if description else ""
    head, sep, rest = line.partition(": ")
    return rest if sep and head.startswith("AADSTS") else line


def _from_payload(payload: dict[str, Any], response: httpx.Response | None) -> TokenError:
    codes = payload.get("error_codes") or []
    return TokenError(error=str(payload.get("error") or "unknown_error"),
                      description=_first_line(str(payload.get("error_description") or "")),
                      code=int(codes[0]) if codes else None,
                      status=response.status_code if response is not None else None,
                      retry_after=retry_after_s(response))


def _from_response(response: httpx.Response | None, fallback: str) -> TokenError:
    if response is not None:
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict) and payload.get("error"):
            return _from_payload(payload, response)
        return TokenError(error=f"http_{response.status_code}", description=fallback, status=response.status_code,
                          retry_after=retry_after_s(response))
    return TokenError(error="no_response", description=fallback,
                      hint="the identity provider could not be reached: check LOGIN_URL, the tenant and the network")


def _authority(settings: Settings, tenant_id: str | None) -> str:
    tenant = tenant_id or settings.tenant_id
    if not tenant:
        raise ValueError("no tenant id: set AZURE_TENANT_ID (Directory (tenant) ID)")
    return f"{settings.login_url.rstrip('/')}/{tenant}"


def new_app(settings: Settings, client_id: str, client_secret: Secret, *,
            tenant_id: str | None = None) -> msal.ConfidentialClientApplication:
    """An msal confidential client for the tenant; discovery runs here, so an unknown tenant raises TokenError."""
    if not client_id:
        raise ValueError("no client id: pass the Application (client) ID")
    if not isinstance(client_secret, Secret):
        raise TypeError("client_secret must be a harness.secrets.Secret")
    authority = _authority(settings, tenant_id)
    recorder = _RecordingHttp(http.client(settings.ca_cert, settings.http_timeout_s))
    try:
        app = msal.ConfidentialClientApplication(client_id, client_credential=client_secret.reveal(),
                                                 authority=authority, instance_discovery=False,
                                                 http_client=recorder)
    except ValueError as exc:  # msal: discovery answered 4xx (unknown tenant) or the authority is malformed
        recorder.close()
        raise _from_response(recorder.last, f"discovery of {authority} failed") from exc
    except httpx.HTTPError as exc:
        recorder.close()
        raise TokenError(error="unreachable", description=f"{authority}: {exc}",
                         hint="the identity provider could not be reached: check LOGIN_URL and the network") from exc
    _recorders[app] = recorder
    return app


# --- verification ----------------------------------------------------------------------------------

_lock = threading.Lock()
_discovery: dict[str, dict[str, Any]] = {}
_jwks: dict[str, jwt.PyJWKSet] = {}


def _get_json(settings: Settings, url: str) -> dict[str, Any]:
    with http.client(settings.ca_cert, settings.http_timeout_s) as client:
        response = client.get(url)
    if response.status_code != 200:
        raise _from_response(response, f"GET {url} answered {response.status_code}")
    return response.json()


def _openid_configuration(settings: Settings, tenant: str) -> dict[str, Any]:
    url = f"{settings.login_url.rstrip('/')}/{tenant}/v2.0/.well-known/openid-configuration"
    with _lock:
        if url in _discovery:
            return _discovery[url]
    document = _get_json(settings, url)
    with _lock:
        _discovery[url] = document
    return document


def _signing_key(settings: Settings, jwks_uri: str, kid: str) -> jwt.PyJWK:
    for refresh in (False, True):  # refetch once when the kid is unknown (key rollover)
        with _lock:
            keys = None if refresh else _jwks.get(jwks_uri)
        if keys is None:
            keys = jwt.PyJWKSet.from_dict(_get_json(settings, jwks_uri))
            with _lock:
                _jwks[jwks_uri] = keys
        for key in keys.keys:
            if key.key_id == kid:
                return key
    raise _invalid_token(f"no key {kid!r} at {jwks_uri}")


def _invalid_token(why: str) -> TokenError:
    return TokenError(error="invalid_token", description=f"the access token failed verification: {why}",
                      hint="the token was not issued by this tenant's identity provider for Business Central")


def verify_access_token(settings: Settings, access_token: str, *, tenant_id: str | None = None) -> dict[str, Any]:
    """Claims of a BC access token after checking signature (tenant JWKS), lifetime, audience and issuer.

    The issuer must be the v1 form (https://sts.windows.net/<tid>/) or the v2 form: the v2 discovery document's
    issuer alone would reject real BC tokens (FIDELITY.md §b.9).
    """
    tenant = tenant_id or settings.tenant_id
    document = _openid_configuration(settings, tenant)
    tid = document["issuer"].rstrip("/").split("/")[-2]
    try:
        kid = jwt.get_unverified_header(access_token).get("kid", "")
        key = _signing_key(settings, document["jwks_uri"], kid)
        return jwt.decode(access_token, key=key, algorithms=["RS256"], audience=list(BC_AUDIENCES),
                          issuer=[f"https://sts.windows.net/{tid}/", document["issuer"]], leeway=CLOCK_SKEW_S,
                          options={"require": ["exp", "iat", "aud", "iss", "tid"]})
    except jwt.PyJWTError as exc:
        raise _invalid_token(str(exc)) from exc


# --- acquisition -----------------------------------------------------------------------------------


def _acquire_once(settings: Settings, app: msal.ConfidentialClientApplication, tenant_id: str | None) -> TokenResult:
    recorder = _recorders.get(app)
    if recorder is not None:
        recorder.last = None
    try:
        result = app.acquire_token_for_client(scopes=[BC_SCOPE])
    except (msal.exceptions.MsalServiceError, ValueError) as exc:  # HTTP >= 500, or a body that is not JSON
        raise _from_response(recorder.last if recorder else None, str(exc)) from exc
    except httpx.HTTPError as exc:
        raise TokenError(error="unreachable", description=str(exc),
                         hint="the token endpoint could not be reached: check LOGIN_URL and the network") from exc
    if "access_token" not in result:
        last = recorder.last if recorder and recorder.last is not None else None
        token_call = last if last is not None and last.request.method == "POST" else None
        raise _from_payload(result, token_call)
    claims = verify_access_token(settings, result["access_token"], tenant_id=tenant_id)
    return TokenResult(access_token=Secret(result["access_token"], "access_token"), claims=claims,
                       source=str(result.get("token_source", "identity_provider")),
                       expires_in=int(result.get("expires_in", 0)))


def acquire_app_token(settings: Settings, client_id: str, client_secret: Secret, *, tenant_id: str | None = None,
                      app: msal.ConfidentialClientApplication | None = None,
                      retry_codes: Collection[int] = ()) -> TokenResult:
    """A verified BC token; retries 429/5xx (honouring Retry-After) and any AADSTS code in `retry_codes`
    (e.g. REPLICATION_CODES right after creating an app) until settings.propagation_timeout_s."""

    def attempt() -> TokenResult:
        if app is not None:
            return _acquire_once(settings, app, tenant_id)
        fresh = new_app(settings, client_id, client_secret, tenant_id=tenant_id)
        try:
            return _acquire_once(settings, fresh, tenant_id)
        finally:
            _recorders[fresh].close()  # a fresh client per attempt must not leave its connections open

    def retryable(exc: Exception) -> bool:
        return isinstance(exc, TokenError) and (exc.transient or exc.code in retry_codes)

    try:
        return poll(attempt, what=f"a Business Central token for client {client_id}", retry_if=retryable,
                    timeout_s=settings.propagation_timeout_s)
    except PollTimeout as exc:
        if isinstance(exc.last, TokenError):
            raise gave_up(exc, exc.last) from exc
        raise


def wait_until_replicated(settings: Settings, client_id: str, client_secret: Secret, *,
                          tenant_id: str | None = None) -> None:
    """Right after an app and its secret are created: wait (with the propagation deadline) until the token service
    knows them. Any answer but a replication code counts, so a deliberately broken app (expired secret) still
    returns at once with its own error left for the scenario to observe."""
    try:
        acquire_app_token(settings, client_id, client_secret, tenant_id=tenant_id, retry_codes=REPLICATION_CODES)
    except TokenError as exc:
        if exc.code in REPLICATION_CODES:
            raise


def check_claims(result: TokenResult, *, client_id: str, tenant_id: str, required_roles: Iterable[str]) -> list[str]:
    """Problems with a token for the Dynamics Mobile agent (empty list = fine), each with its fix."""
    claims = result.claims
    problems: list[str] = []
    if claims.get("aud") not in BC_AUDIENCES:
        problems.append(f"aud is {claims.get('aud')!r}, not Business Central ({BC_RESOURCE})")
    if str(claims.get("tid", "")).lower() != tenant_id.lower():
        problems.append(f"tid is {claims.get('tid')!r}, expected tenant {tenant_id}")
    token_client = claims.get("appid") or claims.get("azp")
    if str(token_client or "").lower() != client_id.lower():
        problems.append(f"the token belongs to client {token_client!r}, expected {client_id}")
    roles = claims.get("roles") or []
    wanted = list(required_roles)
    if wanted and not roles:
        problems.append("no roles claim: " + fix_hints.bc_401_hint(claims))
    else:
        problems.extend(f"roles lack {role}: add it under API permissions and grant admin consent"
                        for role in wanted if role not in roles)
    return problems
