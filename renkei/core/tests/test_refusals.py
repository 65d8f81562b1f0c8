"""A view shows a service's refusal on its form or as a message, and goes on to its page."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from renkei.core.errors import ServiceError
from renkei.core.refusals import refusal_flashed, refusal_on


class DateForm(forms.Form):
    deadline_date = forms.CharField(required=False)
    note = forms.CharField(required=False)


def _bound() -> DateForm:
    form = DateForm({"deadline_date": "", "note": ""})
    assert form.is_valid()
    return form


def test_a_refusal_lands_on_the_field_it_names_through_the_aliases():
    form = _bound()
    with refusal_on(form, aliases={"deadline": "deadline_date"}):
        raise ServiceError("期限が過ぎています。", field="deadline")
    assert form.errors == {"deadline_date": ["期限が過ぎています。"]}


def test_a_pinned_field_takes_the_refusal_whatever_it_names():
    form = _bound()
    with refusal_on(form, field="note"):
        raise ServiceError("書けません。", field="deadline")
    assert form.errors == {"note": ["書けません。"]}


def test_a_refusal_without_a_field_goes_above_the_form():
    form = _bound()
    with refusal_on(form):
        raise ServiceError("この照会はまだ開始できません。")
    assert form.non_field_errors() == ["この照会はまだ開始できません。"]


def test_other_exceptions_pass_through():
    with pytest.raises(ValueError), refusal_on(_bound()):
        raise ValueError("a bug is not a refusal")


def test_a_flashed_refusal_becomes_an_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with refusal_flashed(request):
        raise ServiceError("権限の指定が正しくありません。")
    assert [str(m) for m in get_messages(request)] == ["権限の指定が正しくありません。"]
