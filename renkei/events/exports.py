"""The participant list of an event as an Excel workbook, for the secretariat's own reports.

An event's registrations are bounded (a hall, a few thousand at most): the workbook is written
inside the request (1,000 rows in a few hundred milliseconds on a busy machine, mostly
XlsxWriter's own work: docs/operations.md, bench/bench_events.py), not as a background export.
"""

import datetime as dt
import io

import xlsxwriter
from django.utils import timezone

from renkei.core.csv_safety import neutralize
from renkei.core.question_kinds import kind_of
from renkei.core.wareki import WAREKI_DATE_FORMAT, WAREKI_DATETIME_FORMAT
from renkei.events.models import Event, Questionnaire, Registration, RegistrationStatus
from renkei.events.selectors import questionnaire_holder_title, questionnaire_results

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


# Excel's day 0; a datetime is written as its serial number in local time, computed here once
# per value instead of by the writer (timezone.localtime and XlsxWriter's date conversion
# cost more than the rest of a row).
EXCEL_EPOCH = dt.datetime(1899, 12, 30, tzinfo=dt.UTC)


def excel_serial(value: dt.datetime, tz: dt.tzinfo) -> float:
    """Return an aware datetime as Excel's serial day number in the zone `tz`."""
    return (value - EXCEL_EPOCH + value.astimezone(tz).utcoffset()).total_seconds() / 86400


def participants_xlsx(*, event: Event) -> bytes:
    """Return every registration of the event (cancelled ones last) as an .xlsx file.

    Rows are read as tuples (no model instances), the status labels and the date format are
    looked up once, and each cell is written by its typed method: the workbook of 1,000
    registrations is mostly XlsxWriter's own work (storing the cells, then their XML and the
    zip in `close()`; bench/bench_events.py).
    """
    rows = (
        Registration.objects.filter(event=event)
        .order_by("cancelled_at", "organization_name", "name")
        .values_list(
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
    status_label = dict(RegistrationStatus.choices)
    tz = timezone.get_current_timezone()
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("参加者")
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": WAREKI_DATETIME_FORMAT})
    sheet.write_string(0, 0, neutralize(event.title), bold)
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write_string(2, column, header, bold)
        sheet.set_column(column, column, width)
    write_string, write_number = sheet.write_string, sheet.write_number
    for line, (
        organization,
        department,
        name,
        email,
        member,
        status,
        created,
        checked,
    ) in enumerate(rows, start=3):
        # Text a person typed (a non-member's form) never becomes a formula.
        write_number(line, 0, line - 2)
        write_string(line, 1, neutralize(organization))
        write_string(line, 2, neutralize(department))
        write_string(line, 3, neutralize(name))
        write_string(line, 4, email)
        write_string(line, 5, "会員" if member else "会員外")
        write_string(line, 6, status_label[status])
        write_number(line, 7, excel_serial(created, tz), when)
        if checked is not None:
            write_number(line, 8, excel_serial(checked, tz), when)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2, len(HEADERS) - 1)
    workbook.close()
    return buffer.getvalue()


def questionnaire_xlsx(*, questionnaire: Questionnaire) -> bytes:
    """Return a questionnaire's compiled results and every answer as an .xlsx file.

    Sheet 「集計」: per question, answered out of respondents and each option's count and share
    (the registry's summary); sheet 「回答一覧」: one row per person, the registry's columns.
    """
    results, answers = questionnaire_results(questionnaire)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.0%"})
    when = workbook.add_format({"num_format": WAREKI_DATETIME_FORMAT})
    day = workbook.add_format({"num_format": WAREKI_DATE_FORMAT})

    summary = workbook.add_worksheet("集計")
    summary.set_column(0, 0, 40)
    summary.set_column(1, 3, 14)
    summary.write_string(
        0, 0, neutralize(f"{questionnaire_holder_title(questionnaire)} {questionnaire.title}"), bold
    )
    summary.write(1, 0, f"回答者数 {len(answers):,}名")
    line = 3
    for result in results:
        question = result.question
        summary.write(line, 0, f"{question.code} {question.text}", bold)
        summary.write(line, 1, f"回答 {result.answered_label}")
        line += 1
        if result.options:
            summary.write_row(line, 0, ["選択肢", "人数", "割合"], bold)
            line += 1
            for option in result.options:
                summary.write_string(line, 0, neutralize(option.label))
                summary.write_number(line, 1, option.count)
                if option.total:
                    summary.write_number(line, 2, option.count / option.total, percent)
                line += 1
        elif result.summary.numbers is not None:
            stats = result.summary.numbers.formatted()
            for label, key in (
                ("平均", "mean"),
                ("中央値", "median"),
                ("最小", "minimum"),
                ("最大", "maximum"),
                ("合計", "total"),
            ):
                summary.write_string(line, 0, label)
                summary.write_string(line, 1, stats[key])
                line += 1
        elif result.summary.texts:
            summary.write_string(
                line, 0, f"自由記述 {len(result.summary.texts):,}件（回答一覧のシート）"
            )
            line += 1
        line += 1

    sheet = workbook.add_worksheet("回答一覧")
    columns = [c for result in results for c in kind_of(result.question).columns(result.question)]
    readers = []
    for result in results:
        own = kind_of(result.question).columns(result.question)
        readers.append(kind_of(result.question).cell_reader(result.question, own))
    headers = ["No.", "回答日時", "団体名", "氏名", *(c.header for c in columns)]
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 3, 20)
    for index, column in enumerate(columns, start=4):
        sheet.set_column(index, index, column.width)
    for number, answer in enumerate(answers, start=1):
        sheet.write_number(number, 0, number)
        sheet.write_datetime(number, 1, timezone.localtime(answer.submitted_at), when)
        sheet.write_string(number, 2, neutralize(answer.organization_name))
        sheet.write_string(number, 3, neutralize(answer.name))
        cells = [cell for reader in readers for cell in reader(answer.data)]
        for offset, cell in enumerate(cells, start=4):
            if cell is None:
                continue
            if isinstance(cell, dt.date):
                sheet.write_datetime(number, offset, cell, day)
            elif isinstance(cell, bool):
                sheet.write_number(number, offset, int(cell))
            elif isinstance(cell, int | float):
                sheet.write_number(number, offset, cell)
            else:
                sheet.write_string(number, offset, neutralize(str(cell)))
    sheet.freeze_panes(1, 4)
    workbook.close()
    return buffer.getvalue()
