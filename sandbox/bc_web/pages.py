"""The web client's pages: the shell (top document) at the real client's URLs, the client frame's pages by id,
Tell Me's search results, and the sign-in callback.

Shell URLs as the real client's: `/[<tenant>/][<environment>/]?company=<name>&page=<id>` (FIDELITY.md §d); the
frame loads `/_client/<tenant>/<environment>/?company=…&page=…` with the same query.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sandbox import bc_data, directory
from sandbox.bc_web import search, views
from sandbox.bc_web.search import ENTRA_APPS_PAGE, ENTRA_CARD_PAGE, ROLE_CENTER_PAGE
from sandbox.bc_web.variants import variant
from sandbox.bc_web.web import (
    SERVICE,
    Body,
    Refused,
    User,
    Where,
    client_api,
    client_where,
    error_page,
    resolve,
    sandbox_of,
)
from sandbox.web_auth import CALLBACK_PATH, handle_callback

# One client page: (request, where, user, page id, splash milliseconds) → HTML; Refused for a missing record.
PageView = Callable[[Request, Where, User, int, int], str]


# --- the shell -----------------------------------------------------------------------------------------


def _shell(request: Request, tenant_key: str | None, environment: str | None) -> Response:
    try:
        where, user = resolve(request, tenant_key, environment)
    except Refused as refused:
        return refused.response
    extra = {k: v for k, v in request.query_params.items() if k != "company"}
    frame_src = f"{where.client_base}/?{urlencode({'company': where.company, **extra})}"
    return HTMLResponse(views.shell(where, frame_src, user.get("name", "")))


async def root(request: Request) -> Response:
    return _shell(request, None, None)


async def tenant_or_environment(request: Request) -> Response:
    """`/<x>/`: a tenant (id or domain) when one is known by that name, else an environment of the user's."""
    first = request.path_params["first"]
    if directory.tenant(sandbox_of(request).store, first) is not None:
        return _shell(request, first, None)
    return _shell(request, None, first)


async def tenant_and_environment(request: Request) -> Response:
    return _shell(request, request.path_params["tenant"], request.path_params["environment"])


async def sign_in_callback(request: Request) -> Response:
    return handle_callback(request, sandbox_of(request), SERVICE)


# --- pages inside the client frame ---------------------------------------------------------------------


def _role_center(request: Request, where: Where, user: User, page_id: int, splash_ms: int) -> str:
    return views.role_center(where, splash_ms, user.get("name", ""), page_id)


def _entra_list(request: Request, where: Where, user: User, page_id: int, splash_ms: int) -> str:
    apps = bc_data.entra_apps(sandbox_of(request).store, where.tenant_id, where.environment)
    return views.entra_list(where, splash_ms, apps)


def _entra_card(request: Request, where: Where, user: User, page_id: int, splash_ms: int) -> str:
    """The card of `?bookmark=<client id>`, or a new card without one."""
    bookmark = request.query_params.get("bookmark")
    if not bookmark:
        return views.entra_card(where, splash_ms, None, [])
    store = sandbox_of(request).store
    app = bc_data.entra_app(store, where.tenant_id, where.environment, bookmark)
    if app is None:
        raise Refused(error_page("Record not found", "The record that you tried to open no longer exists."))
    sets = bc_data.permission_sets(store, where.tenant_id, where.environment, app.client_id)
    return views.entra_card(where, splash_ms, app, sets)


def _searchable_page(request: Request, where: Where, user: User, page_id: int, splash_ms: int) -> str:
    """Any other page Tell Me can find: its caption over an empty list."""
    title = search.page_caption(page_id, where.generation)
    if title is None:
        raise Refused(error_page("Page not found", f"The page '{page_id}' does not exist."))
    return views.list_page(where, splash_ms, page_id, title)


PAGES: dict[int, PageView] = {
    ROLE_CENTER_PAGE: _role_center,
    ENTRA_APPS_PAGE: _entra_list,
    ENTRA_CARD_PAGE: _entra_card,
}


def _page_id(request: Request) -> int:
    page = request.query_params.get("page")
    try:
        return int(page or ROLE_CENTER_PAGE)
    except ValueError:
        raise Refused(error_page("Page not found", f"The page '{page}' does not exist.")) from None


async def client_page(request: Request) -> Response:
    """`/_client/<tenant>/<environment>/?page=<id>`: the page, behind a splash as long as the profile's page delay."""
    try:
        where, user = client_where(request)
        page_id = _page_id(request)
        splash_ms = int(sandbox_of(request).option("page_delay_ms", 0) or 0)
        view = PAGES.get(page_id, _searchable_page)
        return HTMLResponse(view(request, where, user, page_id, splash_ms))
    except Refused as refused:
        return refused.response


@client_api
async def tell_me(request: Request, where: Where, user: User, body: Body) -> Response:
    """Tell Me's results for `?q=`, in one group "Go to Pages and Tasks" (none when nothing matches); without
    page 9860 when `bc_tell_me_finds_entra` is off."""
    hits = search.search(request.query_params.get("q", ""), where.generation)
    if not variant(sandbox_of(request), "bc_tell_me_finds_entra"):
        hits = [hit for hit in hits if hit.page_id != ENTRA_APPS_PAGE]
    results = [{"caption": h.caption, "category": h.category, "url": where.client_url(h.page_id)} for h in hits]
    return JSONResponse({"groups": [{"name": search.GROUP, "results": results}] if hits else []})


CLIENT = "/_client/{tenant}/{environment}"
# The client frame's page and JSON routes first; the shell's one- and two-segment URLs catch the rest.
ROUTES = [
    Route(CALLBACK_PATH, sign_in_callback),
    Route(CLIENT + "/api/search", tell_me),
    Route(CLIENT + "/", client_page),
    Route("/", root),
    Route("/{first}/", tenant_or_environment),
    Route("/{tenant}/{environment}/", tenant_and_environment),
]
