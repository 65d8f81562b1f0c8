"""Form fields shared by every app."""

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, strip_spaces_between_tags
from django.utils.safestring import SafeString, mark_safe

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


class FormRenderer(DjangoTemplates):
    """The one way the product draws a form: label above its input, 必須 marks, help, errors.

    settings.FORM_RENDERER names it, so `{{ form }}` and `{{ form.field.as_field_group }}`
    look the same on every page; errors and help are tied to the input by aria-describedby.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = FocusingBoundField


class Select(forms.Select):
    """A select of flat choices drawn in one pass, without a template, for long lists (prefectures).

    Django's Select builds a dict per option and draws each through its own template; even one
    template loop over the options, then the select's and its attributes' templates, cost a
    filter bar more than the rest of its form. The options and attributes are escaped and
    joined here instead: the same markup as Django's Select and its attrs.html, no optgroups.
    """

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """Return the widget's context with its options already drawn (escaped) as HTML."""
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = set(context["widget"]["value"])
        # Safe: every value and label goes through conditional_escape.
        context["widget"]["options_html"] = mark_safe(
            "".join(
                f'<option value="{conditional_escape(key)}"{" selected" if key in chosen else ""}>'
                f"{conditional_escape(label)}</option>"
                for key, label in ((str(key), label) for key, label in self.choices)
            )
        )
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        """Return the <select> with its options."""
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            attributes_html(widget["attrs"]),
            widget["options_html"],
        )


def attributes_html(attrs: dict[str, Any]) -> SafeString:
    """Return a widget's attributes as Django's attrs.html draws them.

    In order; True draws the bare name, False nothing, anything else name="value" escaped.
    """
    # Safe: every name and value goes through conditional_escape.
    return mark_safe(
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


class FilterForm(forms.Form):
    """A filter bar read from the address (GET), drawn in one pass with the renderer's markup.

    A list page draws its filter bar on every view, and the renderer's templates (the form's
    loop, then a field template per field) cost it more than the rest of the form's work.
    A filter bar's fields are plain: optional, a label, the widget, and an error when the
    address held a value not offered. Those are drawn here as core/forms/form.html and
    field.html draw them; a form with anything else (required, hidden or label-less fields,
    help text, fieldsets, checkboxes, form-wide errors) is drawn by the templates.
    """

    def render(
        self,
        template_name: str | None = None,
        context: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        """Return the form's fields, each in its .field block (as str() and {{ form }} do)."""
        if template_name is not None or context is not None or renderer is not None:
            return super().render(template_name, context, renderer)
        fields = list(self)
        if self.non_field_errors() or not all(_is_plain(field) for field in fields):
            return super().render()
        return mark_safe("\n\n".join(_plain_field_html(field) for field in fields))

    # Form binds these to the renderer's render; a filter bar's are its own.
    __str__ = __html__ = render


def _is_plain(field: BoundField) -> bool:
    """Tell whether FilterForm draws the field itself (see its docstring)."""
    return (
        not field.is_hidden
        and not field.field.required
        and not field.help_text
        and bool(field.label)
        and not field.field.show_hidden_initial
        and not field.use_fieldset
        and field.widget_type != "checkbox"
    )


def _plain_field_html(field: BoundField) -> str:
    """Return a plain field's .field block as form.html and field.html draw it."""
    errors = field.errors
    html = format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}</div>',
        " field--error" if errors else "",
        field.id_for_label,
        field.label,
        errors if errors else "",
        field.as_widget(),
    )
    # As field.html's {% spaceless %} around the label, errors and widget.
    return strip_spaces_between_tags(html)


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
