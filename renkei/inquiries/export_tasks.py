"""Compiled files made in the background: request one, build it, report its progress."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from renkei.accounts.models import User
from renkei.core.errors import ServiceError
from renkei.inquiries.compilation.data import compilation_data
from renkei.inquiries.exports import ExportFormat, export_build
from renkei.inquiries.models import Export, ExportStatus, Inquiry
from renkei.inquiries.permissions import can_view_results, results_hide_names

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "ファイルの作成に失敗しました。時間をおいて再度お試しください。"


class ExportError(ServiceError):
    """An export that cannot be requested; the message is for the user."""


def export_request(*, inquiry: Inquiry, by: User, export_format: str) -> Export:
    """Record an export of an inquiry's compiled answers and queue its building."""
    if export_format not in ExportFormat.values:
        raise ExportError("出力形式を選んでください。")
    with transaction.atomic():
        export = Export.objects.create(inquiry=inquiry, format=export_format, requested_by=by)
        # The database backend stores the task in the same transaction as the export row,
        # so a worker never sees one without the other.
        export_run.enqueue(export_id=export.pk)
    export.refresh_from_db()
    return export


def _progress_set(export_id: int, value: int) -> None:
    Export.objects.filter(pk=export_id).update(progress=max(0, min(99, value)))


@task()
def export_run(*, export_id: int) -> str:
    """Build one export file, updating its progress, unless another worker took it."""
    taken = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, progress=0
    )
    if not taken:
        return "skipped"
    export = Export.objects.select_related("inquiry", "requested_by").get(pk=export_id)
    try:
        user = export.requested_by
        # The file shows what its requester may see now: the rights are checked again
        # here, not only when the request was made.
        if user is None or not can_view_results(user, export.inquiry):
            raise PermissionError("requester may no longer see the results")
        data = compilation_data(
            inquiry=export.inquiry, hide_names=results_hide_names(user, export.inquiry)
        )
        built = export_build(
            data=data,
            export_format=export.format,
            progress=lambda value: _progress_set(export_id, value),
        )
        export.file.save(built.name, ContentFile(built.content), save=False)
        export.status = ExportStatus.DONE
        export.progress = 100
        export.notes = "\n".join(built.notes)
    except Exception:
        logger.exception("Export %s of inquiry %s failed", export_id, export.inquiry_id)
        export.status = ExportStatus.FAILED
        export.error = FAILED_MESSAGE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "error", "notes", "finished_at"])
    return export.status
