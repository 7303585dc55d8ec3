"""The report's page: ``index.html``, rendered by jinja2 from templates/report.html.j2.

Autoescaping is on, so every brand, industry or setting from the data is written as text. The
charts' SVG is the one exception, marked safe by charts.py: matplotlib writes it as XML with its
text escaped. The page links to nothing outside its folder (styles inline, system fonts, charts
inline), so it opens from disk on a machine without a network."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader

_environment = Environment(
    loader=PackageLoader("carerank.report", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render_page(**context: Any) -> str:
    return _environment.get_template("report.html.j2").render(**context)
