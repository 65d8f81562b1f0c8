"""Jinja2 fragments: escaped like every template, strict about names, placed by {% fragment %}."""

import pytest
from django.template import engines
from jinja2 import UndefinedError


def test_a_fragment_escapes_every_value():
    template = engines["jinja2"].from_string("<td>{{ name }}</td>")

    assert template.render({"name": "<b>小林</b>"}) == "<td>&lt;b&gt;小林&lt;/b&gt;</td>"


def test_a_misspelled_name_fails_instead_of_drawing_nothing():
    template = engines["jinja2"].from_string("<td>{{ nmae }}</td>")

    with pytest.raises(UndefinedError):
        template.render({"name": "小林"})


def test_fragment_tag_draws_the_jinja_template_with_the_page_context(tmp_path, settings):
    (tmp_path / "rows.html").write_text("{% for n in names %}<li>{{ n }}</li>{% endfor %}")
    settings.TEMPLATES = [
        settings.TEMPLATES[0],
        {**settings.TEMPLATES[1], "DIRS": [tmp_path]},
    ]
    page = engines["django"].from_string('<ul>{% fragment "rows.html" %}</ul>')

    html = page.render({"names": ["札幌市", "<i>当別町</i>"]})

    assert html == "<ul><li>札幌市</li><li>&lt;i&gt;当別町&lt;/i&gt;</li></ul>"
