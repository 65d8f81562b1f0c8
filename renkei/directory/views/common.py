"""What the directory pages share: breadcrumbs, page frames, form data, the departure check."""

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from renkei.directory.models import Organization, Person

Crumb = tuple[str, str | None]


def crumbs(*items: Crumb) -> list[Crumb]:
    """Return the breadcrumbs under the home page."""
    return [("ホーム", reverse("home")), *items]


def organization_crumbs(organization: Organization, *items: Crumb) -> list[Crumb]:
    """Return the breadcrumbs under an organization's page in the 団体名簿."""
    return crumbs(
        ("団体名簿", reverse("directory:organization_list")),
        (organization.name, reverse("directory:organization_detail", args=[organization.pk])),
        *items,
    )


def manage_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *trail: Crumb,
    from_menu: bool = True,
) -> HttpResponse:
    """Render a page of the secretariat's menu; its breadcrumbs pass the menu unless told not to."""
    if from_menu:
        trail = (("事務局メニュー", reverse("directory:manage_index")), *trail)
    return render(request, template, {**context, "nav": "manage", "breadcrumbs": crumbs(*trail)})


def staff_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    of: Person | Organization,
    label: str,
) -> HttpResponse:
    """Render a page under an organization's 職員の管理 (of a person there, or of the organization)."""
    organization = of.organization if isinstance(of, Person) else of
    trail = organization_crumbs(
        organization,
        ("職員の管理", reverse("directory:organization_staff_manage", args=[organization.pk])),
        (label, None),
    )
    return render(request, template, {**context, "nav": "directory", "breadcrumbs": trail})


def post_initial(person: Person) -> dict[str, str]:
    """Return a person's department and title as a form's initial values."""
    return {
        "department": person.department.name if person.department else "",
        "title": person.title,
    }


def person_fields(form: forms.Form) -> dict[str, Any]:
    """Return a person form's cleaned fields as the person services' keywords.

    The fields are named as the services name their keywords, but for the department: the
    forms post `department`, the services (which find or create it by name) take
    `department_name`.
    """
    fields = dict(form.cleaned_data)
    fields["department_name"] = fields.pop("department")
    return fields


def form_errors_text(form: forms.Form) -> str:
    """Return a form's errors as one line, for a page that shows them as a message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def leave_confirm(request: HttpRequest, *, person: Person, on: dt.date) -> HttpResponse:
    """Show what recording a departure will do; the form posts back with confirm=1."""
    return staff_page(
        request,
        "directory/staff/person_leave_confirm.html",
        {
            "person": person,
            "on": on,
            "posts": list(person.posts.select_related("department")),
            "groups": list(person.group_memberships.select_related("group")),
        },
        of=person,
        label=f"{person.name} さんの離任・退職の確認",
    )
