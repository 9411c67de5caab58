"""What the admin API accepts: a JSON object of known fields with the right types, finite numbers in range.

Every check returns None when the value is fine, else what was expected; the route answers 400 with that reason
(the value itself is never echoed: an admin body may hold a secret).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection
from typing import Any

from starlette.requests import Request

Check = Callable[[Any], str | None]

MAX_BODY_BYTES = 64 * 1024
JSON_TYPES = ("application/json",)


class BadBody(ValueError):
    """The request body is not acceptable; the message says why (the admin API answers 400 with it)."""


def _no_constants(name: str) -> float:
    raise BadBody(f"body is not JSON: {name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadBody("body holds a number too large to be finite")
    return value


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


async def read_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object ({} when empty), at most MAX_BODY_BYTES, UTF-8, no NaN/Infinity."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise BadBody(f"body is larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        return {}
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise BadBody("body must be JSON sent as Content-Type: application/json")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants, parse_float=_finite)
    except UnicodeDecodeError as exc:
        raise BadBody("body is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise BadBody(f"body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise BadBody("body is not JSON the sandbox accepts: nested too deep") from exc
    except ValueError as exc:  # BadBody from the hooks above, or an integer with thousands of digits
        raise BadBody(str(exc) if isinstance(exc, BadBody) else "body holds a number that is too long") from exc
    if not isinstance(data, dict):
        raise BadBody(f"body must be a JSON object, not {json_type(data)}")
    return data


def checked(body: dict[str, Any], fields: dict[str, Check], required: Collection[str] = ()) -> dict[str, Any]:
    """`body` when every field is known and valid and every required one present; else BadBody naming the first
    problem."""
    unknown = sorted(set(body) - set(fields))
    if unknown:
        known = ", ".join(sorted(fields)) or "none"
        raise BadBody(f"unknown field(s): {', '.join(unknown)[:200]}; known: {known}")
    for name in required:
        if name not in body:
            raise BadBody(f"'{name}' is required")
    for name, value in body.items():
        problem = fields[name](value)
        if problem:
            raise BadBody(f"'{name}' must be {problem} (got {json_type(value)})")
    return body


# --- checks ----------------------------------------------------------------------------------------------


def text(max_length: int, *, allow_empty: bool = False) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and (allow_empty or value.strip()) and len(value) <= max_length:
            return None
        return f"{'a' if allow_empty else 'a non-blank'} string of at most {max_length} characters"

    return check


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def one_of(*choices: Any) -> Check:
    shown = ", ".join(json.dumps(c) for c in choices)

    def check(value: Any) -> str | None:
        ok = not isinstance(value, bool) and any(value == c and type(value) is type(c) for c in choices)
        return None if ok else f"one of {shown}"

    return check


def number(low: float, high: float, *, whole: bool = False, unit: str = "") -> Check:
    """A finite JSON number (never a boolean) in [low, high]; `whole` also demands an integer value."""
    kind = "a whole number" if whole else "a number"
    expected = f"{kind}{' of ' + unit if unit else ''} from {_plain(low)} to {_plain(high)}"

    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return expected
        if not math.isfinite(value) or not low <= value <= high:
            return expected
        if whole and not float(value).is_integer():
            return expected
        return None

    return check


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def list_of(known: Collection[str], max_items: int) -> Check:
    """A list of strings, each one of `known` (the message names them when there are few)."""
    shown = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} known values"

    def check(value: Any) -> str | None:
        if isinstance(value, list) and len(value) <= max_items and all(isinstance(v, str) and v in known
                                                                       for v in value):
            return None
        return f"a list of at most {max_items} of: {shown}"

    return check


def objects(fields: dict[str, Check], required: Collection[str], max_items: int) -> Check:
    """A list of objects with only `fields` (each valid) and every `required` one."""
    shape = "{" + ", ".join(f'"{name}"' for name in fields) + "}"

    def check(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) > max_items:
            return f"a list of at most {max_items} {shape} objects"
        for item in value:
            if not isinstance(item, dict) or set(item) - set(fields) or any(r not in item for r in required):
                return f"a list of {shape} objects ({', '.join(required)} required)"
            for name, field_value in item.items():
                problem = fields[name](field_value)
                if problem:
                    return f"a list of {shape} objects whose \"{name}\" is {problem}"
        return None

    return check
