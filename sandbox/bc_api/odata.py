"""The small part of OData v4 the companies endpoint needs: `$filter` with `eq` on string properties, joined by
`and`, string literals in single quotes with '' as the escape; company rows in the API's field names."""

from __future__ import annotations

import re
from typing import Any

from sandbox.bc_data import SYSTEM_VERSION

SYSTEM_USER = "00000000-0000-0000-0000-000000000001"
# API property -> bc_companies column
FILTERABLE = {"name": "name", "displayName": "display_name", "id": "id"}
_CLAUSE = re.compile(r"\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|([0-9a-fA-F-]{36}))\s*")
_AND = re.compile(r"and\s+")


class FilterError(ValueError):
    pass


def parse_filter(text: str) -> list[tuple[str, str]]:
    """[(column, value)] for `prop eq 'value' [and …]`; anything else raises FilterError."""
    clauses: list[tuple[str, str]] = []
    pos = 0
    while True:
        match = _CLAUSE.match(text, pos)
        if not match or match.group(1) not in FILTERABLE:
            raise FilterError(text[pos:])
        quoted, guid = match.group(2), match.group(3)
        if (match.group(1) == "id") != (guid is not None):
            raise FilterError(text[pos:])  # id compares to a bare GUID, strings to quoted literals
        clauses.append((FILTERABLE[match.group(1)], guid.lower() if guid else quoted.replace("''", "'")))
        pos = match.end()
        if pos == len(text):
            return clauses
        joiner = _AND.match(text, pos)
        if not joiner:
            raise FilterError(text[pos:])
        pos = joiner.end()


def matches(row: dict[str, Any], clauses: list[tuple[str, str]]) -> bool:
    return all(str(row[column]).lower() == value.lower() if column == "id" else row[column] == value
               for column, value in clauses)


def company(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "systemVersion": row.get("system_version") or SYSTEM_VERSION,
        "timestamp": int(row["timestamp"]),
        "name": row["name"],
        "displayName": row["display_name"],
        "businessProfileId": row["business_profile_id"],
        "systemCreatedAt": row["created_at"],
        "systemCreatedBy": SYSTEM_USER,
        "systemModifiedAt": row["modified_at"],
        "systemModifiedBy": SYSTEM_USER,
    }
