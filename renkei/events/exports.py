"""The participant list of an event as an Excel workbook, for the secretariat's own reports.

An event's registrations are bounded (a hall, a few thousand at most): the workbook is written
inside the request (1,000 rows measured at a few times the baseline view, bench/bench_events.py),
not as a background export.
"""

import io

import xlsxwriter
from django.utils import timezone

from renkei.core.csv_safety import neutralize
from renkei.core.wareki import WAREKI_DATETIME_FORMAT
from renkei.events.models import Event, Registration

HEADERS = [
    "No.",
    "団体名",
    "所属",
    "氏名",
    "メールアドレス",
    "会員区分",
    "状態",
    "申込日時",
    "受付日時",
]
WIDTHS = [6, 24, 24, 16, 32, 10, 14, 24, 24]


def participants_xlsx(*, event: Event) -> bytes:
    """Return every registration of the event (cancelled ones last) as an .xlsx file."""
    # Not event.registrations: the related manager would set each row's event, loading the
    # deferred event_id one row at a time.
    rows = (
        Registration.objects.filter(event=event)
        .order_by("cancelled_at", "organization_name", "name")
        .only(
            "organization_name",
            "department",
            "name",
            "email",
            "is_member",
            "status",
            "created_at",
            "checked_in_at",
        )
    )
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet("参加者")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": WAREKI_DATETIME_FORMAT})
    sheet.write(0, 0, event.title, bold)
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write(2, column, header, bold)
        sheet.set_column(column, column, width)
    registration: Registration
    for number, registration in enumerate(rows, start=1):
        line = number + 2
        # Text a person typed (a non-member's form) never becomes a formula.
        sheet.write_number(line, 0, number)
        sheet.write_string(line, 1, neutralize(registration.organization_name))
        sheet.write_string(line, 2, neutralize(registration.department))
        sheet.write_string(line, 3, neutralize(registration.name))
        sheet.write_string(line, 4, registration.email)
        sheet.write_string(line, 5, "会員" if registration.is_member else "会員外")
        sheet.write_string(line, 6, registration.get_status_display())
        sheet.write_datetime(line, 7, timezone.localtime(registration.created_at), when)
        if registration.checked_in_at:
            sheet.write_datetime(line, 8, timezone.localtime(registration.checked_in_at), when)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2, len(HEADERS) - 1)
    workbook.close()
    return buffer.getvalue()
