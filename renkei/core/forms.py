"""Form fields shared by every app."""

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.functional import cached_property

from renkei.core.errors import ServiceError
from renkei.core.wareki import (
    ERAS,
    WarekiParseError,
    era_year,
    format_wareki,
    format_western,
    parse_date,
)


class FocusingBoundField(BoundField):
    """A field that takes the focus when it holds the form's first error.

    After a failed submission the focus lands on what went wrong (the form's own error box,
    see core/forms/form.html, or the first field in error) instead of the field that asked
    for autofocus on the empty form; no JavaScript needed.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.form.errors:
            attrs["autofocus"] = self._holds_first_error()
        return attrs

    def _holds_first_error(self) -> bool:
        if self.form.non_field_errors():
            return False
        first = next((name for name in self.form.fields if name in self.form.errors), None)
        return first == self.name


def service_error_add(
    form: forms.BaseForm, error: ServiceError, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form field it names, or above the form.

    `aliases` map a service's field name to the form's (a service's `choices` is the
    form's `choices_text`); a field the form does not have gets a form-wide error.
    """
    name = (aliases or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


class FormRenderer(Jinja2):
    """The one way the product draws a form: label above its input, 必須 marks, help, errors.

    settings.FORM_RENDERER names it, so `{{ form }}` and `{{ form.field.as_field_group }}`
    look the same on every page; errors and help are tied to the input by aria-describedby.
    Forms and widgets are Jinja2 templates (core/forms/*.html in renkei/core/jinja2, Django's
    own widget templates in django/forms/jinja2): a filter bar's long selects (47 prefectures)
    are drawn several times faster than by Django's template language, autoescaped alike.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = FocusingBoundField

    @cached_property
    def _admin_widgets(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        """Return the Jinja2 template; Django's admin widgets only exist for its own language."""
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            # django.contrib.admin ships its widgets (admin/widgets/*.html, which include
            # Django's own) as Django templates only; the admin site is the one place that
            # draws them, through Django's renderer of those templates.
            return self._admin_widgets.get_template(template_name)


class Select(forms.Select):
    """A select of flat choices drawn by one template loop, for long lists (47 prefectures).

    Django's select template includes a template for each option; core/forms/select.html
    draws the same markup for flat choices (no option groups) in one loop.
    """

    template_name = "core/forms/select.html"


def date_input_hint(*, days_ahead: int = 14) -> str:
    """Say how to type a date, with an example a little ahead of today in every accepted form."""
    example = timezone.localdate() + timedelta(days=days_ahead)
    era, number = era_year(example)
    return (
        f"{format_wareki(example)}、{era.letter}{number}.{example.month}.{example.day} "
        f"または {example:%Y-%m-%d} の形で入力してください。"
    )


class WarekiDateField(forms.DateField):
    """A date typed in the era or western calendar, shown back in the era calendar."""

    widget = forms.TextInput
    default_error_messages = {
        "required": "日付を入力してください。",
        "invalid": "日付として読み取れません。令和8年11月21日、R8.11.21 または 2026-11-21 の形で"
        "入力してください。",
    }

    def to_python(self, value: Any) -> date | None:
        """Return a date, reading text with parse_date."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except WarekiParseError as error:
            # parse_date's message already names the input and the accepted forms.
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        """Show a date value in the era calendar; leave typed text as the user wrote it."""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            if value < ERAS[0].start:
                return format_western(value)
            return format_wareki(value)
        return value
