"""The product's one form renderer: label above input, 必須 marks, help and errors tied."""

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.template import Context, Template
from django.template.backends.jinja2 import Jinja2
from django.utils import timezone

from renkei.core.forms import FormRenderer, Select, WarekiDateField, date_input_hint
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


class BarForm(forms.Form):
    """A filter bar: optional selects and a search box, read from the address."""

    status = forms.ChoiceField(
        label="状況", required=False, choices=[("", "すべて"), ("a", "<甲>")]
    )
    q = forms.CharField(
        label="名称<コード>", required=False, max_length=5, widget=forms.SearchInput
    )


def test_forms_are_drawn_by_jinja2_templates():
    renderer = SampleForm().renderer

    assert isinstance(renderer.engine, Jinja2)
    assert renderer.get_template("core/forms/field.html").template.name == "core/forms/field.html"


def test_labels_choices_and_values_are_escaped():
    html = str(BarForm(data={"status": "a", "q": '"><script>'}))

    assert '<label for="id_q">名称&lt;コード&gt;</label>' in html
    assert '<option value="a" selected>&lt;甲&gt;</option>' in html
    assert "<script>" not in html
    assert 'value="&#34;&gt;&lt;script&gt;"' in html


def test_filter_bar_keeps_the_chosen_option_and_shows_an_unknown_one_as_an_error():
    chosen = str(BarForm(data={"status": "a"}))
    unknown = BarForm(data={"status": "zz"})

    assert '<option value="a" selected>' in chosen
    assert 'class="field field--error"' in str(unknown)
    assert unknown.errors["status"] == ["正しく選択してください。 zz は候補にありません。"]
    assert 'aria-invalid="true"' in str(unknown)


def test_form_and_template_tag_draw_the_same():
    form = BarForm(data={"status": "a", "q": "和木"})

    assert str(form) == Template("{{ form }}").render(Context({"form": form}))


def test_checkbox_label_follows_the_box_and_group_has_a_legend():
    html = str(SampleForm())

    assert re.search(r'<input type="checkbox" name="agree"[^>]*> <label for="id_agree"', html)
    assert re.search(r"<fieldset[^>]*><legend>投票単位", html)


def test_only_a_checkbox_field_is_marked_to_sit_beside_its_label():
    html = str(SampleForm())

    assert re.search(
        r'<div class="field field--checkbox"><input type="checkbox" name="agree"', html
    )
    assert html.count("field--checkbox") == 1


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


def test_one_loop_select_draws_what_djangos_select_draws():
    form = SelectsForm(data={"prefecture": "02", "plain": "02"})

    ours = form["prefecture"].as_widget()
    django = form["plain"].as_widget().replace("plain", "prefecture")

    assert ours == django
    assert '<option value="02" selected>&lt;青森県&gt;</option>' in ours
