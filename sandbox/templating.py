"""Jinja2 for every web twin: one environment per twin package, autoescaping on, so no caption, user value or
query parameter is ever rendered as markup (the twins face hostile input too).

Each twin keeps its templates in `sandbox/<twin>/templates/` and renders with `templates(__package__).render(...)`.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def templates(package: str) -> Environment:
    """The template environment of one twin package (e.g. "sandbox.bc_web"); undefined names fail loudly."""
    return Environment(loader=PackageLoader(package, "templates"), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(package: str, name: str, **context: object) -> str:
    return templates(package).get_template(name).render(**context)
