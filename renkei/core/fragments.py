"""Row-heavy page fragments in Jinja2: autoescaped like every template, compiled to Python.

A list of 50 posts or 30 progress rows with a dozen values each spends most of its time in
the Django template engine's per-variable lookups. Such fragments are Jinja2 templates (in an
app's `jinja2/` folder), rendered by Django's own Jinja2 backend and placed in a page with
`{% fragment "app/_rows.html" %}` (core/templatetags/fragments.py). Jinja2 escapes every
value the same way (autoescape on); the filters below are the Django filters and wareki
formats the fragments use, under the same names; row links come from the view as
`renkei.core.row_urls.RowUrl`, reversed once per page.
"""

from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatechars
from jinja2 import Environment, StrictUndefined

from renkei.core.templatetags.wareki import jdatetime


def environment(**options: Any) -> Environment:
    """Return the Jinja2 environment of the fragments (settings.TEMPLATES names it)."""
    # A misspelled variable fails the test that renders it instead of drawing nothing (Django's
    # backend passes its own default, Undefined, which draws nothing).
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters.update(
        filesizeformat=filesizeformat,
        intcomma=intcomma,
        jdatetime=jdatetime,
        linebreaksbr=linebreaksbr,
        truncatechars=truncatechars,
    )
    return env
