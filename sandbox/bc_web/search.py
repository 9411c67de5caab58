"""Tell Me: pages with a UsageCategory, found by caption words and AdditionalSearchTerms (FIDELITY.md §d).

Page 9860 has no AdditionalSearchTerms, so with the current caption "Azure" does not find it (§g row 7); the
`bc_caption=legacy` option brings back the old caption, which "Azure" does find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENTRA_APPS_PAGE = 9860
ENTRA_CARD_PAGE = 9861
ROLE_CENTER_PAGE = 9022
CAPTIONS = {
    "current": {ENTRA_APPS_PAGE: "Microsoft Entra Applications", ENTRA_CARD_PAGE: "Microsoft Entra Application Card"},
    "legacy": {ENTRA_APPS_PAGE: "Azure Active Directory Applications",
               ENTRA_CARD_PAGE: "Azure Active Directory Application Card"},
}
GROUP = "Go to Pages and Tasks"


@dataclass(frozen=True)
class SearchablePage:
    page_id: int
    caption: str
    category: str
    terms: tuple[str, ...] = ()


# A slice of a real environment's searchable pages (ids and captions as in the base application).
OTHER_PAGES = (
    SearchablePage(21, "Customers", "Lists", ("client", "buyer")),
    SearchablePage(26, "Vendors", "Lists", ("supplier",)),
    SearchablePage(31, "Items", "Lists", ("product",)),
    SearchablePage(16, "Chart of Accounts", "Lists", ("g/l account",)),
    SearchablePage(9807, "Users", "Administration", ("user setup",)),
    SearchablePage(9802, "Permission Sets", "Administration", ("roles", "access")),
    SearchablePage(357, "Companies", "Administration", ()),
    SearchablePage(2500, "Extension Management", "Administration", ("apps", "extensions")),
    SearchablePage(672, "Job Queue Entries", "Administration", ("scheduled tasks",)),
    SearchablePage(1802, "Assisted Setup", "Administration", ("setup guides",)),
)


def caption(page_id: int, generation: str) -> str:
    return CAPTIONS.get(generation, CAPTIONS["current"]).get(page_id, "")


def searchable_pages(generation: str) -> list[SearchablePage]:
    entra = SearchablePage(ENTRA_APPS_PAGE, caption(ENTRA_APPS_PAGE, generation), "Administration")
    return [entra, *OTHER_PAGES]


def page_caption(page_id: int, generation: str) -> str | None:
    for page in searchable_pages(generation):
        if page.page_id == page_id:
            return page.caption
    return caption(page_id, generation) or None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w/.-]+", text.lower())


def search(query: str, generation: str) -> list[SearchablePage]:
    """Every query word must start a word of the caption or of a search term; caption hits rank first."""
    wanted = _words(query)
    if not wanted:
        return []
    hits: list[tuple[int, SearchablePage]] = []
    for page in searchable_pages(generation):
        caption_words = _words(page.caption)
        term_words = [w for term in page.terms for w in _words(term)]
        if all(any(w.startswith(q) for w in caption_words) for q in wanted):
            hits.append((0, page))
        elif all(any(w.startswith(q) for w in caption_words + term_words) for q in wanted):
            hits.append((1, page))
    return [page for _, page in sorted(hits, key=lambda hit: (hit[0], hit[1].caption))]
