"""The directory's pages for members: organizations, people and the membership status."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.permissions import Capability, has_capability
from renkei.directory import forms, selectors
from renkei.directory.permissions import (
    can_manage_staff_of,
    can_view_contacts,
    get_organization_for,
    get_person_for,
    require,
    visible_people,
)
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.views.common import crumbs

# Rows per page of the directory lists: enough to scan, small enough to render quickly.
PAGE_SIZE = 30
# Staff on an organization's page: a page of a city's hundreds.
STAFF_PAGE_SIZE = 50


def _list_page(
    request: HttpRequest, template: str, rows: QuerySet | None, context: dict[str, Any]
) -> HttpResponse:
    """Render a searched list a page at a time (no rows: nothing searched yet).

    The page links keep the search's query, all but the page number.
    """
    page = (
        Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")) if rows is not None else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {**context, "page": page, "query": query.urlencode()})


def organization_list(request: HttpRequest) -> HttpResponse:
    """List organizations with filters and search."""
    require(request.user, Capability.VIEW_DIRECTORY)
    form = forms.OrganizationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.organization_search(
        q=filters.get("q", ""),
        prefecture_code=filters.get("prefecture", ""),
        kind=filters.get("kind", ""),
        membership=filters.get("membership", ""),
    )
    return _list_page(
        request,
        "directory/organization_list.html",
        organizations,
        {
            "form": form,
            "prefectures": PREFECTURES,
            "nav": "directory",
            "breadcrumbs": crumbs(("団体名簿", None)),
        },
    )


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an organization, its membership history and (to members) its staff."""
    organization = get_organization_for(request.user, pk)
    show_contacts = can_view_contacts(request.user)
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "prefecture": PREFECTURES.get(organization.prefecture_code, ""),
            "memberships": organization.memberships.order_by("-joined_on"),
            # A city's staff run to hundreds: a page of them at a time.
            "page": Paginator(
                selectors.organization_staff(organization=organization), STAFF_PAGE_SIZE
            ).get_page(request.GET.get("page"))
            if show_contacts
            else None,
            "posts": selectors.organization_posts(organization=organization)
            if show_contacts
            else [],
            "show_contacts": show_contacts,
            "can_manage_staff": can_manage_staff_of(request.user, organization),
            "predecessors": organization.predecessors.all(),
            "nav": "directory",
            "breadcrumbs": crumbs(
                ("団体名簿", reverse("directory:organization_list")), (organization.name, None)
            ),
        },
    )


def person_list(request: HttpRequest) -> HttpResponse:
    """Search people across member organizations (members only)."""
    people = visible_people(request.user)
    form = forms.PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    searched = bool(filters.get("q") or filters.get("prefecture"))
    results = selectors.people_search(
        people=people, q=filters.get("q", ""), prefecture_code=filters.get("prefecture", "")
    )
    return _list_page(
        request,
        "directory/person_list.html",
        results if searched else None,
        {"form": form, "nav": "people", "breadcrumbs": crumbs(("人員検索", None))},
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a person's contacts, post history and groups."""
    person = get_person_for(request.user, pk)
    manages_directory = has_capability(request.user, Capability.MANAGE_DIRECTORY)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "history": selectors.person_history(person=person),
            "groups": person.group_memberships.select_related("group"),
            "role_form": forms.RoleForm(initial={"role": person.user.role})
            if person.user
            else None,
            "group_form": forms.GroupPersonForm() if manages_directory else None,
            "nav": "people",
            "breadcrumbs": crumbs(
                ("人員検索", reverse("directory:person_list")), (person.name, None)
            ),
        },
    )


def membership_status(request: HttpRequest) -> HttpResponse:
    """Show the council's membership on a date: totals by kind and a table by prefecture."""
    require(request.user, Capability.VIEW_DIRECTORY)
    form = forms.MembershipDateForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "directory/membership_status.html",
        {
            "form": form,
            "summary": selectors.membership_summary(on=on),
            "nav": "membership",
            "breadcrumbs": crumbs(("会員状況", None)),
        },
    )
