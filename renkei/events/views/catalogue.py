"""A fiscal year's training catalogue (研修計画)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.events.permissions import can_manage_events, require_event_reader
from renkei.events.selectors import (
    catalogue_title,
    needs_questionnaires_of,
    needs_questionnaires_to_answer,
    training_catalogue,
)
from renkei.events.views.common import crumbs, planned_year_check


@require_GET
def training_catalogue_view(request: HttpRequest, year: int) -> HttpResponse:
    """A fiscal year's training catalogue (研修計画): each theme with the year's trainings, and
    the needs questionnaires (研修ニーズ調査) asked before planning them."""
    require_event_reader(request.user)
    planned_year_check(year)
    managing = can_manage_events(request.user)
    return render(
        request,
        "events/catalogue.html",
        {
            "nav": "events",
            "year": year,
            "title": catalogue_title(year),
            "themes": training_catalogue(user=request.user, fiscal_year=year),
            "questionnaires": needs_questionnaires_of(fiscal_year=year)
            if managing
            else needs_questionnaires_to_answer(fiscal_year=year, user=request.user),
            "can_manage": managing,
            "breadcrumbs": crumbs((catalogue_title(year), None)),
        },
    )
