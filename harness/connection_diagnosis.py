"""The nightly question in one call: do these Portal values yield a working connection — and if not, which
step of the procedure is wrong? `diagnose_connection` never raises for a refusal: it returns a `Diagnosis` with
the stage, the surfaced code and a one-line fix (`harness.fix_hints`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness import fix_hints
from harness.bc_api import BcApiError, list_companies_as_agent
from harness.oauth import TokenError
from harness.polling import PollTimeout
from harness.secrets import Secret
from harness.settings import Settings

IDENTITY_PROVIDER = "identity provider"
BC_API = "Business Central API"
COMPANY = "company"
COMPANY_NOT_LISTED = "CompanyNotListed"  # the harness's own code: BC lists companies, the saved one is not among them


@dataclass(frozen=True)
class Diagnosis:
    ok: bool
    stage: str  # where it failed: identity provider, Business Central API, company; "done" when ok
    status: int | None = None
    code: str = ""
    fix: str = ""
    companies: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.ok:
            return f"connection OK: Business Central lists {', '.join(self.companies)}"
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{self.stage} refused: {self.code}{status} — fix: {self.fix}"


def diagnose_connection(settings: Settings, *, tenant_id: str, environment: str, client_id: str,
                        client_secret: Secret, company: str) -> Diagnosis:
    try:
        listed = list_companies_as_agent(settings, client_id, client_secret, tenant_id=tenant_id,
                                         environment=environment)
    except TokenError as exc:
        code = f"AADSTS{exc.code}" if exc.code else exc.error
        return Diagnosis(False, IDENTITY_PROVIDER, exc.status, code, exc.hint)
    except BcApiError as exc:
        return Diagnosis(False, BC_API, exc.status, exc.code, exc.hint)
    except PollTimeout as exc:
        return Diagnosis(False, _stage_of(exc.last), None, "Timeout", str(exc))
    names = [str(c.get("name", "")) for c in listed]
    if company not in names:
        return Diagnosis(False, COMPANY, None, COMPANY_NOT_LISTED, fix_hints.company_missing_hint(company, names),
                         names)
    return Diagnosis(True, "done", 200, "", "", names)


def _stage_of(last: Any) -> str:
    return BC_API if isinstance(last, BcApiError) else IDENTITY_PROVIDER
