"""The BC twin's $filter parser on its own: eq on name/displayName/id, `and`, '' escaping, refusals."""

from __future__ import annotations

import pytest

from sandbox.bc_api.odata import FilterError, matches, parse_filter

ROW = {"id": "0b2e5d6a-1111-4c3b-9f00-000000000001", "name": "O'Brien & Sons", "display_name": "O'Brien"}


def test_escaped_quote():
    assert parse_filter("name eq 'O''Brien & Sons'") == [("name", "O'Brien & Sons")]


def test_and_with_the_word_and_inside_a_literal():
    clauses = parse_filter("name eq 'Smith and Jones' and displayName eq 'S and J'")
    assert clauses == [("name", "Smith and Jones"), ("display_name", "S and J")]


def test_id_compares_to_a_bare_guid_case_insensitively():
    clauses = parse_filter("id eq 0B2E5D6A-1111-4C3B-9F00-000000000001")
    assert matches(ROW, clauses)


def test_matches_is_exact_on_strings():
    assert matches(ROW, parse_filter("name eq 'O''Brien & Sons'"))
    assert not matches(ROW, parse_filter("name eq 'o''brien & sons'"))


@pytest.mark.parametrize("text", ["", "name eq", "name eq O'Brien", "id eq 'x'", "name eq 'a' and", "name gt 'a'",
                                  "name eq 'a' or name eq 'b'", "systemVersion eq 'x'", "name eq 'a'  extra"])
def test_refused(text):
    with pytest.raises(FilterError):
        parse_filter(text)
