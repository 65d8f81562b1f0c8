"""One error class for every service's refusal, shown where the form has the field."""

from django import forms

from renkei.core.errors import ServiceError
from renkei.core.forms import service_error_add


class ChoicesForm(forms.Form):
    title = forms.CharField()
    choices_text = forms.CharField()


def _bound() -> ChoicesForm:
    form = ChoicesForm({"title": "件名", "choices_text": "はい"})
    form.is_valid()
    return form


def test_error_goes_on_the_field_it_names():
    form = _bound()

    service_error_add(form, ServiceError("件名を入力してください。", field="title"))

    assert form.errors == {"title": ["件名を入力してください。"]}


def test_a_services_field_name_reaches_the_forms_field_through_aliases():
    form = _bound()
    error = ServiceError("選択肢が重複しています：はい", field="choices")

    service_error_add(form, error, aliases={"choices": "choices_text"})

    assert form.errors == {"choices_text": ["選択肢が重複しています：はい"]}


def test_error_naming_no_field_or_an_unknown_one_goes_above_the_form():
    form = _bound()

    service_error_add(form, ServiceError("この照会はまだ開始できません。"))
    service_error_add(form, ServiceError("所属長確認が必要です。", field="head_confirmed"))

    assert form.non_field_errors() == ["この照会はまだ開始できません。", "所属長確認が必要です。"]
