"""How a page shows a service's refusal: on the form it concerns, or as a message.

A view makes the service call and says it went through inside one `with` block; a
`ServiceError` raised there ends the block and is shown, and the view goes on to render its
page (or redirect) as it would without the call:

    with refusal_on(form):
        services.thing_save(...)
        messages.success(request, "保存しました。")
        return redirect(...)
    return render(...)
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from renkei.core.errors import ServiceError
from renkei.core.forms import service_error_add


@contextmanager
def refusal_on(
    form: forms.BaseForm,
    *,
    field: str | None = None,
    aliases: dict[str, str] | None = None,
) -> Iterator[None]:
    """Show a refusal raised in the block on the form: on `field`, else where the error says."""
    try:
        yield
    except ServiceError as error:
        if field is None:
            service_error_add(form, error, aliases=aliases)
        else:
            form.add_error(field, error.message)


@contextmanager
def refusal_flashed(request: HttpRequest) -> Iterator[None]:
    """Show a refusal raised in the block as an error message on the next page."""
    try:
        yield
    except ServiceError as error:
        messages.error(request, error.message)
