"""Exports of an inquiry's compiled answers: request, list, status and download."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.inquiries.export_tasks import ExportError, export_request
from renkei.inquiries.exports import (
    CONTENT_TYPES,
    FORMAT_PURPOSES,
    ExportFormat,
    export_filename,
)
from renkei.inquiries.models import Export, ExportStatus, Inquiry
from renkei.inquiries.permissions import (
    get_inquiry_results_for,
    results_hide_names,
)
from renkei.inquiries.views.common import results_crumbs


def _own_export(request: HttpRequest, inquiry: Inquiry, export_pk: int) -> Export:
    """Return one of the user's exports of the inquiry, or 404.

    An export shows what its requester may see (names hidden or not), so it is given only
    to that user.
    """
    try:
        return Export.objects.get(pk=export_pk, inquiry=inquiry, requested_by=request.user)
    except Export.DoesNotExist as exc:
        raise Http404("出力ファイルが見つかりません。") from exc


@require_http_methods(["GET", "POST"])
def export_list(request: HttpRequest, pk: int) -> HttpResponse:
    """List the user's exports of the inquiry and request a new one."""
    inquiry = get_inquiry_results_for(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            export = export_request(
                inquiry=inquiry, by=request.user, export_format=request.POST.get("format", "")
            )
        except ExportError as exc:
            error = str(exc)
        else:
            return redirect("inquiries:export_detail", pk=inquiry.pk, export_pk=export.pk)
    labels = dict(ExportFormat.choices)
    exports = [
        (export, labels.get(export.format, export.format))
        for export in Export.objects.filter(inquiry=inquiry, requested_by=request.user)[:20]
    ]
    return render(
        request,
        "inquiries/compilation/export_list.html",
        {
            "inquiry": inquiry,
            "exports": exports,
            "formats": [
                (value, label, FORMAT_PURPOSES[ExportFormat(value)])
                for value, label in ExportFormat.choices
            ],
            "error": error,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(
                inquiry,
                ("集計", reverse("inquiries:compilation", args=[inquiry.pk])),
                ("ファイル出力", None),
            ),
        },
        status=400 if error else 200,
    )


def export_detail(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    """Show an export's progress; htmx asks for the progress part every second."""
    inquiry = get_inquiry_results_for(request.user, pk)
    export = _own_export(request, inquiry, export_pk)
    context = {
        "inquiry": inquiry,
        "export": export,
        "format_label": dict(ExportFormat.choices).get(export.format, export.format),
        "finished": export.status in (ExportStatus.DONE, ExportStatus.FAILED),
        "notes": export.notes.splitlines() if export.status == ExportStatus.DONE else [],
    }
    if request.headers.get("HX-Request"):
        return render(request, "inquiries/compilation/_export_progress.html", context)
    return render(
        request,
        "inquiries/compilation/export_detail.html",
        {
            **context,
            "nav": "inquiries",
            "breadcrumbs": results_crumbs(
                inquiry,
                ("ファイル出力", reverse("inquiries:export_list", args=[inquiry.pk])),
                (f"出力 {export.pk}", None),
            ),
        },
    )


def export_download(request: HttpRequest, pk: int, export_pk: int) -> FileResponse:
    """Send a finished export and record it in the audit log."""
    inquiry = get_inquiry_results_for(request.user, pk)
    export = _own_export(request, inquiry, export_pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("出力ファイルはまだできていません。")
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        target=inquiry,
        request=request,
        detail={
            "export": export.pk,
            "format": export.format,
            "hide_names": results_hide_names(request.user, inquiry),
        },
    )
    name = export_filename(inquiry, export.format, on=export.created_at.date())
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=name,
        # The guess from the file name ("text/csv") would not say that the CSV is Shift_JIS.
        content_type=CONTENT_TYPES.get(export.format),
    )
