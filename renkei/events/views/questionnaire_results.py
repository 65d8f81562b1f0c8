"""A questionnaire's compiled results for the secretariat: the page and the Excel workbook."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.events.exports import questionnaire_xlsx
from renkei.events.models import Questionnaire, RegistrationStatus
from renkei.events.permissions import (
    get_needs_questionnaire_to_manage_for,
    get_questionnaire_to_manage_for,
)
from renkei.events.selectors import questionnaire_results
from renkei.events.views.common import questionnaire_crumbs, questionnaire_links, xlsx_download


def _results_page(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    """The compiled results: per question, counts and shares, a chart, statistics, texts."""
    links = questionnaire_links(questionnaire)
    results, answers = questionnaire_results(questionnaire)
    return render(
        request,
        "events/questionnaire_results.html",
        {
            "nav": "events",
            "questionnaire": questionnaire,
            "links": links,
            "results": results,
            "answer_count": len(answers),
            "confirmed": questionnaire.event.registrations.filter(
                status=RegistrationStatus.CONFIRMED
            ).count()
            if questionnaire.event_id is not None
            else None,
            "breadcrumbs": questionnaire_crumbs(questionnaire, links, ("集計結果", None)),
        },
    )


@require_GET
def questionnaire_results_view(
    request: HttpRequest, pk: int, questionnaire_pk: int
) -> HttpResponse:
    """The compiled results of an event's questionnaire."""
    return _results_page(
        request, get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    )


@require_GET
def needs_questionnaire_results(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """The compiled results of a fiscal year's needs questionnaire."""
    return _results_page(
        request, get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    )


def _export_response(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse:
    """The compiled results and every answer as an Excel workbook (the download is audited)."""
    return xlsx_download(
        request,
        body=questionnaire_xlsx(questionnaire=questionnaire),
        target=questionnaire,
        detail={"export": "questionnaire_xlsx"},
        filename=f"questionnaire-{questionnaire.pk}.xlsx",
        name=f"アンケート集計_{questionnaire.title}.xlsx",
    )


@require_GET
def questionnaire_export(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """An event's questionnaire as an Excel workbook."""
    return _export_response(
        request, get_questionnaire_to_manage_for(request.user, pk, questionnaire_pk)
    )


@require_GET
def needs_questionnaire_export(
    request: HttpRequest, year: int, questionnaire_pk: int
) -> HttpResponse:
    """A fiscal year's needs questionnaire as an Excel workbook."""
    return _export_response(
        request, get_needs_questionnaire_to_manage_for(request.user, year, questionnaire_pk)
    )
