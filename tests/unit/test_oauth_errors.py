"""harness.oauth and harness.fix_hints without a network: error formatting, claim checks, hints."""

from __future__ import annotations

import httpx
import pytest

from harness import fix_hints, oauth
from harness.secrets import Secret
from harness.settings import Settings

TENANT = "4a201f11-b5ba-421f-9458-05c805dc56a9"
CLIENT = "2a31a6ac-a9d4-46aa-8e3c-e3fd6c8a98ee"
GOOD_CLAIMS = {"aud": "https://api.businesscentral.dynamics.com", "tid": TENANT, "appid": CLIENT,
               "iss": f"https://sts.windows.net/{TENANT}/", "roles": ["API.ReadWrite.All"]}


def _result(**claims):
    merged = {**GOOD_CLAIMS, **claims}
    return oauth.TokenResult(Secret("eyJ.header.payload-signature", "access_token"),
                             {k: v for k, v in merged.items() if v is not None}, "identity_provider", 3599)


def test_token_error_is_one_line_with_code_status_and_hint():
    payload = {"error": "invalid_client", "error_codes": [7000215],
               "error_description": "AADSTS7000215: Invalid client secret provided. Ensure …\r\nTrace ID: x\r\n"
                                    "Correlation ID: y\r\nTimestamp: 2026-01-01 00:00:00Z"}
    response = httpx.Response(401, json=payload, request=httpx.Request("POST", "https://login/t/oauth2/v2.0/token"))
    error = oauth._from_payload(payload, response)
    assert (error.code, error.error, error.status) == (7000215, "invalid_client", 401)
    assert error.description == "Invalid client secret provided. Ensure …"
    text = str(error)
    assert "\n" not in text and "\r" not in text
    assert text.startswith("AADSTS7000215 invalid_client (HTTP 401): Invalid client secret provided.")
    assert "hint: Azure portal > App registrations > <app> > Certificates & secrets" in text
    assert "Secret ID" in error.hint


def test_retry_after_and_transient():
    response = httpx.Response(429, json={"error": "temporarily_unavailable", "error_codes": [90055]},
                              headers={"Retry-After": "7"}, request=httpx.Request("POST", "https://l/t/token"))
    error = oauth._from_response(response, "fallback")
    assert error.transient and error.retry_after == 7 and error.code == 90055


def test_non_json_error_keeps_status():
    response = httpx.Response(502, text="<html>bad gateway</html>", request=httpx.Request("POST", "https://l/x"))
    error = oauth._from_response(response, "the token endpoint failed")
    assert error.status == 502 and error.code is None and error.transient
    assert "the token endpoint failed" in str(error)


def test_token_result_repr_masks_the_token():
    assert "eyJ.header" not in repr(_result())


def test_check_claims_accepts_a_good_token():
    assert oauth.check_claims(_result(), client_id=CLIENT, tenant_id=TENANT, required_roles=["API.ReadWrite.All"]) == []


@pytest.mark.parametrize("claims, fragment", [
    ({"aud": "https://graph.microsoft.com"}, "not Business Central"),
    ({"tid": "11111111-1111-1111-1111-111111111111"}, "expected tenant"),
    ({"appid": "00000000-0000-0000-0000-000000000000"}, "belongs to client"),
    ({"roles": None}, "admin consent not granted"),
    ({"roles": ["Automation.ReadWrite.All"]}, "roles lack API.ReadWrite.All"),
])
def test_check_claims_reports_each_problem(claims, fragment):
    problems = oauth.check_claims(_result(**claims), client_id=CLIENT, tenant_id=TENANT,
                                  required_roles=["API.ReadWrite.All"])
    assert len(problems) == 1 and fragment in problems[0], problems


def test_new_app_refuses_clear_secret_and_missing_ids():
    settings = Settings(tenant_id=TENANT)
    with pytest.raises(TypeError):
        oauth.new_app(settings, CLIENT, "clear-text-secret")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="client id"):
        oauth.new_app(settings, "", Secret("x" * 10))
    with pytest.raises(ValueError, match="AZURE_TENANT_ID"):
        oauth.new_app(Settings(), CLIENT, Secret("x" * 10))


@pytest.mark.parametrize("code, fragment", [
    (7000215, "Secret ID"), (7000222, "New client secret"), (700016, "Client Id"), (90002, "Tenant Id"),
])
def test_aadsts_hints_name_ui_and_field(code, fragment):
    assert fragment in fix_hints.aadsts_hint(code)


def test_unknown_code_points_to_the_error_page():
    assert "code=123456" in fix_hints.aadsts_hint(123456)


def test_bc_hints():
    assert "Microsoft Entra Applications" in fix_hints.bc_hint(401, "Authentication_InvalidCredentials")
    assert "Environment Id" in fix_hints.bc_hint(404, "BadRequest_NotFound", environment="Prod")
    assert "Company" in fix_hints.bc_hint(404, "Internal_CompanyNotFound", company="X")
    assert "Company" in fix_hints.company_missing_hint("X", ["A", "B"])


@pytest.mark.parametrize("claims, fragment", [
    ({**GOOD_CLAIMS, "roles": []}, "admin consent not granted"),
    ({**GOOD_CLAIMS, "roles": ["app_access"]}, "lack API.ReadWrite.All"),
    ({**GOOD_CLAIMS, "aud": "https://graph.microsoft.com"}, "audience"),
    (GOOD_CLAIMS, "Microsoft Entra Applications"),
])
def test_bc_401_hint(claims, fragment):
    assert fragment in fix_hints.bc_401_hint(claims, tenant_id=TENANT)
