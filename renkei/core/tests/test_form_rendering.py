"""The product's one form renderer: label above input, 必須 marks, help and errors tied."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test.signals import template_rendered
from django.utils import timezone

from renkei.core.forms import FilterForm, FormRenderer, Select, WarekiDateField, date_input_hint
from renkei.core.wareki import format_wareki


class SampleForm(forms.Form):
    title = forms.CharField(label="件名", help_text="30文字以内で入力してください。")
    note = forms.CharField(label="備考", required=False)
    agree = forms.BooleanField(label="同意する")
    scope = forms.ChoiceField(
        label="投票単位", choices=[("a", "1団体1票"), ("b", "1人1票")], widget=forms.RadioSelect
    )
    day = WarekiDateField(label="開始日")


def _labels(html: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r'<label for="([^"]+)"[^>]*>(.*?)</label>', html)}


def test_the_product_uses_one_form_renderer():
    assert settings.FORM_RENDERER == "renkei.core.forms.FormRenderer"
    assert isinstance(SampleForm().renderer, FormRenderer)


def test_every_field_sits_in_its_own_block_with_the_label_before_the_input():
    html = str(SampleForm())

    blocks = re.findall(
        r'<div class="field[^"]*">(.*?)</div>\s*(?=<div class="field|$)', html, re.S
    )
    assert len(blocks) == 5
    title_block = next(b for b in blocks if 'name="title"' in b)
    assert title_block.index("<label") < title_block.index("<input")


def test_required_fields_are_marked_and_optional_ones_are_not():
    labels = _labels(str(SampleForm()))

    assert "必須" in labels["id_title"]
    assert "必須" in labels["id_agree"]
    assert "必須" not in labels["id_note"]
    assert ":" not in labels["id_note"]  # Japanese labels take no colon
    assert re.search(
        r"<legend>投票単位 <span class=\"required-mark\">必須</span></legend>", str(SampleForm())
    )


def test_help_and_errors_are_tied_to_the_input():
    form = SampleForm(data={"title": ""})
    html = str(form)

    title_input = re.search(r'<input[^>]*name="title"[^>]*>', html)[0]
    assert 'aria-describedby="id_title_helptext id_title_error"' in title_input
    assert 'aria-invalid="true"' in title_input
    assert 'id="id_title_helptext"' in html
    assert 'id="id_title_error"' in html


def test_date_hint_shows_a_future_day_in_every_accepted_form():
    ahead = timezone.localdate() + timedelta(days=14)

    hint = date_input_hint()

    assert hint.startswith(format_wareki(ahead) + "、R")
    assert ahead.isoformat() in hint


class SelectsForm(forms.Form):
    prefecture = forms.ChoiceField(
        label="都道府県",
        choices=[("", "すべて"), ("01", "北海道"), ("02", "<青森県>")],
        required=False,
        widget=Select,
    )
    plain = forms.ChoiceField(
        label="都道府県",
        choices=[("", "すべて"), ("01", "北海道"), ("02", "<青森県>")],
        required=False,
    )


def test_one_pass_select_draws_what_djangos_select_draws():
    form = SelectsForm(data={"prefecture": "02", "plain": "02"})

    ours = form["prefecture"].as_widget()
    django = form["plain"].as_widget().replace('name="plain"', 'name="prefecture"')

    assert ours == re.sub(r">\s+<", "><", django.replace('id="id_plain"', 'id="id_prefecture"'))
    assert '<option value="02" selected>&lt;青森県&gt;</option>' in ours
    assert '<option value="01">北海道</option>' in ours


def test_filter_select_sits_in_a_field_block_with_its_label():
    html = str(SelectsForm())

    assert '<label for="id_prefecture">都道府県</label>' in html
    assert '<select name="prefecture" id="id_prefecture">' in html


def test_one_pass_select_draws_its_attributes_as_django_does():
    choices = [("", "すべて"), ("a&b", "<甲>"), (1, "乙")]
    attrs = {"id": "id_x", "aria-invalid": "true", "autofocus": True, "hidden": False}
    attrs["data-note"] = '"引用"<>'

    ours = Select(choices=choices).render("x", "a&b", attrs=attrs)
    django = forms.Select(choices=choices).render("x", "a&b", attrs=attrs)

    assert ours == re.sub(r">\s+<", "><", django)
    assert ' id="id_x" aria-invalid="true" autofocus data-note="&quot;引用&quot;&lt;&gt;">' in ours
    assert '<option value="a&amp;b" selected>&lt;甲&gt;</option>' in ours


class BarForm(FilterForm):
    status = forms.ChoiceField(
        label="状況", required=False, choices=[("", "すべて"), ("a", "<甲>")], widget=Select
    )
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), ("c", "市")])
    q = forms.CharField(
        label="名称<コード>", required=False, max_length=5, widget=forms.SearchInput
    )


class BarWithRequiredForm(BarForm):
    year = forms.IntegerField(label="年度")


def _templates_used(draw) -> list[str]:
    names: list[str] = []

    def seen(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(seen)
    try:
        draw()
    finally:
        template_rendered.disconnect(seen)
    return names


@pytest.mark.parametrize(
    "data",
    [None, {}, {"status": "a", "kind": "c", "q": "和木"}, {"status": "zz", "q": "長すぎる名前<>"}],
)
def test_filter_bar_draws_what_the_form_templates_draw(data):
    form = BarForm(data=data)

    drawn = str(form)

    assert drawn == form.render(form.template_name)
    assert drawn == Template("{{ form }}").render(Context({"form": form}))


def test_filter_bar_draws_its_plain_fields_without_the_form_templates():
    valid = BarForm(data={"status": "a"})
    invalid = BarForm(data={"status": "zz"})

    for form in (valid, invalid):
        used = _templates_used(lambda form=form: str(form))
        # Django's own widgets (kind, q) and error list still use theirs.
        assert "core/forms/form.html" not in used
        assert "core/forms/field.html" not in used
        assert "django/forms/widgets/select.html" in used


def test_filter_bar_with_other_fields_is_drawn_by_the_templates():
    form = BarWithRequiredForm(data={"status": "a"})

    used = _templates_used(lambda: str(form))

    assert "core/forms/form.html" in used
    assert '<span class="required-mark">必須</span>' in str(form)
