"""The member home page: one's organization, colleagues and what is new across features."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.directory.permissions import can_view_contacts, organization_of
from renkei.directory.selectors import organization_staff
from renkei.portal.selectors import whats_new


def home(request: HttpRequest) -> HttpResponse:
    """Show the member home page."""
    organization = organization_of(request.user)
    staff = (
        organization_staff(organization=organization)
        if organization is not None and can_view_contacts(request.user)
        else []
    )
    return render(
        request,
        "portal/home.html",
        {
            "organization": organization,
            "staff": staff,
            "sections": whats_new(user=request.user),
            "nav": "home",
        },
    )


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer load balancers and uptime checks."""
    return HttpResponse("ok", content_type="text/plain")
