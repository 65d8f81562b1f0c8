"""The secretariat's record pages: the audit log (with CSV export) and the mail outbox."""

import csv
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.permissions import Capability
from renkei.audit.models import Action, AuditEvent
from renkei.audit.selectors import audit_events
from renkei.audit.services import audit_record
from renkei.core.csv_safety import neutralize
from renkei.core.forms import WarekiDateField
from renkei.core.wareki import format_wareki, format_wareki_datetime
from renkei.directory.permissions import require
from renkei.mailer.models import Status
from renkei.mailer.selectors import outbox_counts, outbox_recent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="操作", choices=[("", "すべて"), *Action.choices], required=False
    )
    username = forms.CharField(label="ユーザーID", required=False, max_length=150)
    since = WarekiDateField(label="開始日", required=False)
    until = WarekiDateField(label="終了日", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain text box does not say it takes 和暦: today, as it is typed.
        example = f"例：{format_wareki(timezone.localdate())}"
        for name in ("since", "until"):
            self.fields[name].widget.attrs["placeholder"] = example


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        action=filters.get("action", ""),
        username=filters.get("username", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, events


def audit_event_list(request: HttpRequest) -> HttpResponse:
    """Show the audit log with filters (secretariat only)."""
    require(request.user, Capability.VIEW_AUDIT_LOG)
    form, events = _filtered(request)
    page = Paginator(events.select_related("actor"), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_events.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "nav": "manage",
            "breadcrumbs": [
                ("ホーム", reverse("home")),
                ("事務局メニュー", reverse("directory:manage_index")),
                ("監査ログ", None),
            ],
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_event_export(request: HttpRequest) -> StreamingHttpResponse:
    """Stream the filtered audit log as CSV (UTF-8 with BOM, opens in Excel)."""
    require(request.user, Capability.VIEW_AUDIT_LOG)
    _, events = _filtered(request)
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        request=request,
        detail={"what": "audit_log", "query": request.GET.urlencode()},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(
            ["日時", "ユーザーID", "操作", "対象の種類", "対象ID", "対象", "IPアドレス", "詳細"]
        )
        event: AuditEvent
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    neutralize(v)
                    for v in (
                        format_wareki_datetime(event.created_at),
                        event.actor_username,
                        event.get_action_display(),
                        event.target_type,
                        event.target_id,
                        event.target_label,
                        event.ip_address or "",
                        event.detail or "",
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


def outbox(request: HttpRequest) -> HttpResponse:
    """Show the mail outbox: counts by status and the latest messages (secretariat only)."""
    require(request.user, Capability.VIEW_OUTBOX)
    status = request.GET.get("status") or None
    if status not in Status.values:
        status = None
    return render(
        request,
        "portal/outbox.html",
        {
            "counts": [(Status(s).label, s, n) for s, n in outbox_counts().items()],
            "messages_list": outbox_recent(status=status, limit=200),
            "status": status,
            "nav": "manage",
            "breadcrumbs": [
                ("ホーム", reverse("home")),
                ("事務局メニュー", reverse("directory:manage_index")),
                ("送信メール", None),
            ],
        },
    )
