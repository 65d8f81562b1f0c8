"""Benchmark the compilation of a large inquiry: `.venv/bin/python bench/bench_inquiries.py`.

Every listed organization (1,788) answers an inquiry of 60 questions of every kind. Every
measured case prints `bench <name> median=<ms> baseline=<ms> ratio=<x> target=<y> ok|FAIL`,
its ratio against a baseline measured in the same run (docs/operations.md lists them):

- against the trivial layout view (bench.urls): the compilation page as most views find it
  (`compilation_page`, a cache hit) and just after an answer changed
  (`compilation_page_after_answer_change`: it queues one background recompile and serves the
  stored summary), target 5×; one page of the answer matrix (`matrix_page`), target 12×; the
  progress and compilation pages of an inquiry to all 1,788 organizations, target 5×; saving
  the answer form of the 60 questions (`answer_save`: the POST of the real form, encoded as
  a browser sends it, validated and stored), target 4×;
- against one plain query reading the same answers' JSON: the recompile task
  (`compilation_recompile_task`) and the first view after a change with the compile inside
  the request (`compilation_page_cold`), target 5×;
- the full Excel export against xlsxwriter alone writing the very same cells, target 2×.

Runs on a temporary test database (config.settings.test, in-memory SQLite unless
DATABASE_URL says otherwise).
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from bench.harness import Measurement, paired_ms  # noqa: E402

QUESTION_COUNT = 60
# Targets chosen from the measurements (docs/operations.md), with room for a busy machine.
# The compiling cases are against a plain read of the same answers, the matrix page against
# the trivial layout view.
COLD_TARGET = 5
RECOMPILE_TARGET = 5
MATRIX_TARGET = 12
CHOICES = ["準拠している", "次年度の調達で条件にする", "準拠していない", "検討中"]


def _questions(inquiry):
    """Create 60 questions of every kind except file (answered on the web only)."""
    from renkei.inquiries.models import Question, QuestionKind

    plan = (
        [QuestionKind.SINGLE] * 12
        + [QuestionKind.MULTIPLE] * 10
        + [QuestionKind.YES_NO] * 10
        + [QuestionKind.NUMBER] * 10
        + [QuestionKind.DATE] * 4
        + [QuestionKind.SHORT_TEXT] * 6
        + [QuestionKind.LONG_TEXT] * 4
        + [QuestionKind.TABLE] * 4
    )
    assert len(plan) == QUESTION_COUNT
    questions = []
    for position, kind in enumerate(plan, start=1):
        fields = {}
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            fields = {"choices": CHOICES, "allow_other": position % 3 == 0}
        if kind == QuestionKind.NUMBER:
            fields = {"unit": "台"}
        if kind == QuestionKind.TABLE:
            fields = {"table_rows": ["本庁", "支所", "出張所"], "table_columns": ["端末", "サーバ"]}
        questions.append(
            Question(
                inquiry=inquiry,
                position=position,
                code=f"Q{position}",
                kind=kind,
                text=f"設問{position}：地域情報プラットフォームへの準拠状況について回答してください。",
                **fields,
            )
        )
    return Question.objects.bulk_create(questions)


def _value(question, rng):
    from renkei.inquiries.models import QuestionKind

    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return rng.choice(question.options)
    if kind == QuestionKind.MULTIPLE:
        return [c for c in question.options if rng.random() < 0.4] or [question.options[0]]
    if kind == QuestionKind.YES_NO:
        return rng.choice(["はい", "いいえ"])
    if kind == QuestionKind.NUMBER:
        return rng.randint(0, 5000) if rng.random() < 0.8 else round(rng.random() * 100, 1)
    if kind == QuestionKind.DATE:
        return (dt.date(2010, 4, 1) + dt.timedelta(days=rng.randint(0, 900))).isoformat()
    if kind == QuestionKind.TABLE:
        return {
            row: {column: rng.randint(0, 300) for column in question.table_columns}
            for row in question.table_rows
        }
    length = 20 if kind == QuestionKind.SHORT_TEXT else 80
    return "回答内容" * (length // 4)


def build_dataset(organization_limit: int | None = None):
    """Load the 1,788 listed organizations and have every one answer every question.

    With an organization limit, only the first organizations (by code) are targets and
    answer, which builds a smaller compilation (the answer form is the same).
    """
    from renkei.accounts.models import Role
    from renkei.directory.models import Organization
    from renkei.directory.municipalities import municipalities_load
    from renkei.inquiries.models import (
        Answer,
        AnswerStatus,
        AnswerVersion,
        Inquiry,
        InquiryStatus,
        Target,
    )
    from renkei.testing import make_user

    municipalities_load()
    organizations = list(Organization.objects.order_by("code")[:organization_limit])
    requester = Organization.objects.get(code="012289")  # 深川市
    user = make_user(
        username="bench-board", name="深川 一郎", role=Role.BOARD, organization=requester
    )
    inquiry = Inquiry.objects.create(
        title="地域情報プラットフォームへの準拠について",
        requester=requester,
        status=InquiryStatus.PUBLISHED,
    )
    questions = _questions(inquiry)
    rng = random.Random(20121023)
    Target.objects.bulk_create(Target(inquiry=inquiry, organization=o) for o in organizations)
    submitted_at = dt.datetime(2012, 10, 1, 10, 0, tzinfo=dt.UTC)
    answers = []
    for organization in organizations:
        data = {}
        for question in questions:
            data[str(question.pk)] = _value(question, rng)
            if question.allow_other and "その他" in (
                data[str(question.pk)]
                if isinstance(data[str(question.pk)], list)
                else [data[str(question.pk)]]
            ):
                data[f"{question.pk}_other"] = "独自の方式"
        answers.append(
            Answer(
                inquiry=inquiry,
                organization=organization,
                status=AnswerStatus.SUBMITTED,
                data=data,
                submitted_at=submitted_at,
                revision=1,
            )
        )
    answers = Answer.objects.bulk_create(answers, batch_size=500)
    AnswerVersion.objects.bulk_create(
        (
            AnswerVersion(answer=a, number=1, kind=a.kind, data=a.data, submitted_at=submitted_at)
            for a in answers
        ),
        batch_size=500,
    )
    return inquiry, user, len(organizations)


def build_answering(questions_from, organization):
    """Open a copy of the inquiry to one organization and return it with a staff member.

    The copy has the same 60 questions; the staff member's organization is its only target,
    so the answer form is the one every organization fills in.
    """
    from django.utils import timezone

    from renkei.accounts.models import Role
    from renkei.inquiries.models import Inquiry, InquiryStatus, Question, Target
    from renkei.testing import make_user

    inquiry = Inquiry.objects.create(
        title="地域情報プラットフォームへの準拠について（回答）",
        requester=questions_from.requester,
        status=InquiryStatus.OPEN,
        opened_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=30),
    )
    Question.objects.bulk_create(
        Question(
            inquiry=inquiry,
            position=q.position,
            code=q.code,
            kind=q.kind,
            text=q.text,
            choices=q.choices,
            allow_other=q.allow_other,
            unit=q.unit,
            table_rows=q.table_rows,
            table_columns=q.table_columns,
        )
        for q in questions_from.questions.order_by("position")
    )
    Target.objects.create(inquiry=inquiry, organization=organization)
    user = make_user(
        username="bench-staff", name="当別 次郎", role=Role.STAFF, organization=organization
    )
    return inquiry, user


def build_national(questions_from, submitted_share: float = 0.15):
    """Open a copy of the inquiry to every listed organization, most of them not yet answered.

    A share of the organizations has submitted (with a version, as the compilation reads
    it) and as many again are drafting: the progress and compilation pages of an inquiry
    to all 1,788 organizations midway, where the lists of those missing are longest.
    """
    from django.utils import timezone

    from renkei.directory.models import Organization
    from renkei.inquiries.models import (
        Answer,
        AnswerStatus,
        AnswerVersion,
        Inquiry,
        InquiryStatus,
        Question,
        Target,
    )

    inquiry = Inquiry.objects.create(
        title="地域情報プラットフォームへの準拠について（全国）",
        requester=questions_from.requester,
        status=InquiryStatus.OPEN,
        opened_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=30),
    )
    Question.objects.bulk_create(
        Question(
            inquiry=inquiry,
            position=q.position,
            code=q.code,
            kind=q.kind,
            text=q.text,
            choices=q.choices,
            allow_other=q.allow_other,
            unit=q.unit,
            table_rows=q.table_rows,
            table_columns=q.table_columns,
        )
        for q in questions_from.questions.order_by("position")
    )
    organizations = list(Organization.objects.order_by("code"))
    Target.objects.bulk_create(Target(inquiry=inquiry, organization=o) for o in organizations)
    submitted = int(len(organizations) * submitted_share)
    answers = {a.organization_id: a for a in questions_from.answers.all()}
    now = timezone.now()
    rows = []
    for index, organization in enumerate(organizations[: submitted * 2]):
        done = index < submitted
        data = answers[organization.pk].data if organization.pk in answers else {}
        rows.append(
            Answer(
                inquiry=inquiry,
                organization=organization,
                status=AnswerStatus.SUBMITTED if done else AnswerStatus.DRAFT,
                data=data,
                submitted_at=now if done else None,
                revision=1,
            )
        )
    rows = Answer.objects.bulk_create(rows, batch_size=500)
    AnswerVersion.objects.bulk_create(
        (
            AnswerVersion(answer=a, number=1, kind=a.kind, data=a.data, submitted_at=now)
            for a in rows
            if a.submitted_at is not None
        ),
        batch_size=500,
    )
    return inquiry, len(organizations), submitted


def answer_form_post(inquiry, rng: random.Random) -> dict[str, object]:
    """Return the answer form's fields for a complete answer to every question."""
    from renkei.core.question_kinds import cell_field_name
    from renkei.inquiries.forms.answering import question_field_name
    from renkei.inquiries.models import QuestionKind

    post: dict[str, object] = {"kind": "answered", "reason": "", "intent": "save"}
    for question in inquiry.questions.order_by("position"):
        name = question_field_name(question)
        value = _value(question, rng)
        if question.kind == QuestionKind.TABLE:
            for r, row in enumerate(question.table_rows):
                for c, column in enumerate(question.table_columns):
                    post[cell_field_name(question, r, c)] = f"{value[row][column]:,}"
        elif question.kind == QuestionKind.MULTIPLE:
            post[name] = value
        elif question.kind == QuestionKind.DATE:
            post[name] = value.replace("-", "/")
        else:
            post[name] = str(value)
        chosen = value if isinstance(value, list) else [value]
        if question.allow_other and "その他" in chosen:
            post[f"{name}_other"] = "独自の方式"
    return post


def _cells(content: bytes) -> list[tuple[str, list[list]]]:
    """Return every sheet's rows of values from a workbook, to write them again."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheets = [
        (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book
    ]
    book.close()
    return sheets


def xlsxwriter_alone(sheets: list[tuple[str, list[list]]]) -> bytes:
    """Write the given cells with xlsxwriter and nothing else, in constant-memory mode."""
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for title, rows in sheets:
        sheet = workbook.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, value)
    workbook.close()
    return output.getvalue()


def queries_of(action: Callable[[], object]) -> int:
    """Return the number of SQL queries one run of the action makes."""
    # Each request clears the connection's query log when it starts, so start from empty.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def get_ok(client: Client, path: str) -> bytes:
    """Fetch a page and insist on a 200 answer, so a broken page never looks fast."""
    response = client.get(path)
    if response.status_code != 200:
        raise AssertionError(f"{path} answered {response.status_code}")
    return response.content


def report(results: list[Measurement]) -> int:
    """Print every measurement's line; return 0 when all met their targets."""
    for measurement in results:
        print(measurement.line(), flush=True)
    return 0 if all(m.ok for m in results) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--organizations",
        type=int,
        default=None,
        help="answer with only the first N organizations (default: all 1,788; at least "
        "334, so that the compilation is too large to compile inline, as the page cases "
        "measure); the answer_save case does not depend on it",
    )
    parser.add_argument(
        "--compilation-only",
        action="store_true",
        help="run only the compilation cases (compilation_page, "
        "compilation_page_after_answer_change, compilation_recompile_task, "
        "compilation_page_cold), measured as in the full run",
    )
    args = parser.parse_args()
    repeat = args.repeat
    from renkei.inquiries.compilation.store import INLINE_VALUES_LIMIT

    if args.organizations is not None and args.organizations * QUESTION_COUNT < INLINE_VALUES_LIMIT:
        parser.error(
            f"--organizations must be at least {-(-INLINE_VALUES_LIMIT // QUESTION_COUNT)}: "
            "smaller compilations are compiled inline and the page cases would not apply"
        )

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    settings.ROOT_URLCONF = "bench.urls"
    try:
        from django.core.cache import cache

        from renkei.directory.models import Organization
        from renkei.inquiries.compilation.data import compilation_data
        from renkei.inquiries.exports import workbook_xlsx
        from renkei.inquiries.models import Answer

        inquiry, user, count = build_dataset(args.organizations)
        client = Client()
        client.force_login(user)
        print(
            f"# {count:,} organizations × {QUESTION_COUNT} questions, all answered; "
            f"{connection.vendor}",
            flush=True,
        )
        results = []

        def trivial() -> bytes:
            return get_ok(client, "/bench/baseline/")

        page = f"/inquiries/{inquiry.pk}/compilation/"
        get_ok(client, page)  # the first view compiles (the immediate test task backend)
        page_queries = queries_of(lambda: get_ok(client, page))
        page_ms, baseline = paired_ms(lambda: get_ok(client, page), trivial, repeat=repeat * 4)
        results.append(
            Measurement(
                name="compilation_page",
                median_ms=page_ms,
                baseline_ms=baseline,
                target=5,
                queries=page_queries,
                size_kb=len(get_ok(client, page)) / 1024,
            )
        )

        # While the inquiry is open an answer changes, then the page is viewed: it queues
        # one background recompile (recorded only, by the dummy task backend) and serves
        # the stored summary with a notice.
        from django.utils import timezone

        from renkei.inquiries.compilation.store import (
            current_stamp,
            current_variant,
            is_fresh,
            marker_key,
            stored_summary,
        )
        from renkei.inquiries.compilation.tasks import summary_recompile
        from renkei.inquiries.models import Inquiry, InquiryStatus
        from renkei.inquiries.permissions import can_follow, results_hide_names

        Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.OPEN)
        inquiry.refresh_from_db()
        get_ok(client, page)  # queues the first recompile of the open inquiry
        summary_recompile.call(inquiry_id=inquiry.pk)
        changed = Answer.objects.filter(inquiry=inquiry).order_by("pk").first()

        def after_answer_change() -> bytes:
            Answer.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
            # The task would remove its marker when done: each view queues one again.
            cache.delete(marker_key(inquiry.pk))
            content = get_ok(client, page)
            if "集計を更新しています（".encode() not in content:
                raise AssertionError("the page did not serve the stored summary")
            return content

        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        ):
            from django_tasks import default_task_backend

            changed_queries = queries_of(after_answer_change)
            changed_ms, baseline = paired_ms(after_answer_change, trivial, repeat=repeat * 4)
            queued = len(default_task_backend.results)
        if queued < repeat * 4:
            raise AssertionError("the page did not queue a recompile on every answer change")
        results.append(
            Measurement(
                name="compilation_page_after_answer_change",
                median_ms=changed_ms,
                baseline_ms=baseline,
                target=5,
                queries=changed_queries,
            )
        )

        # The same answers read with one plain query and nothing else: the baseline of the
        # cases that compile them.
        def plain_read() -> list:
            return list(Answer.objects.filter(inquiry=inquiry).values_list("data"))

        def recompile() -> None:
            Answer.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
            if not summary_recompile.call(inquiry_id=inquiry.pk):
                raise AssertionError("the task did not compile the stale summary")

        task_ms, read_ms = paired_ms(recompile, plain_read, repeat=repeat * 2)
        results.append(
            Measurement(
                name="compilation_recompile_task",
                median_ms=task_ms,
                baseline_ms=read_ms,
                target=RECOMPILE_TARGET,
            )
        )

        # The first view after a change with the compile inside the request: the immediate
        # task backend (config.settings.test) runs the queued recompile before the page
        # answers, which is what a view costs when the summary is cold.
        def first_view_after_change() -> bytes:
            Answer.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
            content = get_ok(client, page)
            stored = stored_summary(inquiry.pk, variant)
            if stored is None or not is_fresh(stored, current_stamp(inquiry)):
                raise AssertionError("the first view did not compile the summary")
            return content

        variant = current_variant(
            hide_names=results_hide_names(user, inquiry), following=can_follow(user, inquiry)
        )
        cold_queries = queries_of(first_view_after_change)
        cold_ms, read_ms = paired_ms(first_view_after_change, plain_read, repeat=repeat * 2)
        results.append(
            Measurement(
                name="compilation_page_cold",
                median_ms=cold_ms,
                baseline_ms=read_ms,
                target=COLD_TARGET,
                queries=cold_queries,
            )
        )
        if args.compilation_only:
            return report(results)
        Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.PUBLISHED)
        matrix = f"/inquiries/{inquiry.pk}/compilation/matrix/"
        matrix_queries = queries_of(lambda: get_ok(client, matrix))
        matrix_ms, baseline = paired_ms(lambda: get_ok(client, matrix), trivial, repeat=repeat * 2)
        results.append(
            Measurement(
                name="matrix_page",
                median_ms=matrix_ms,
                baseline_ms=baseline,
                target=MATRIX_TARGET,
                queries=matrix_queries,
                size_kb=len(get_ok(client, matrix)) / 1024,
            )
        )

        def full_export() -> bytes:
            return workbook_xlsx(compilation_data(inquiry=inquiry))

        content = full_export()
        sheets = _cells(content)
        cells = sum(1 for _, rows in sheets for row in rows for v in row if v is not None)
        print(f"# workbook: {len(content) / 1e6:.1f} MB, {cells:,} cells", flush=True)
        export, alone = paired_ms(
            full_export, lambda: xlsxwriter_alone(sheets), repeat=max(3, repeat // 2)
        )
        results.append(
            Measurement(name="excel_export_full", median_ms=export, baseline_ms=alone, target=2)
        )

        # The pages of an inquiry to every organization, midway: the progress page (its
        # first page, and the non-submitting filter) and the compilation page of those
        # following it, whose summary once listed every missing organization.
        Inquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.PUBLISHED)
        national, national_count, national_submitted = build_national(inquiry)
        print(
            f"# national inquiry: {national_count:,} target organizations, "
            f"{national_submitted:,} submitted",
            flush=True,
        )
        national_pages = [
            ("progress_page_national", f"/inquiries/{national.pk}/progress/"),
            (
                "progress_page_national_waiting",
                f"/inquiries/{national.pk}/progress/?status=waiting",
            ),
            ("compilation_page_national", f"/inquiries/{national.pk}/compilation/"),
        ]
        get_ok(client, national_pages[-1][1])  # queues the compilation of the open inquiry
        summary_recompile.call(inquiry_id=national.pk)
        for name, path in national_pages:
            content = get_ok(client, path)
            if name.startswith("compilation") and "設問ごとの集計".encode() not in content:
                raise AssertionError("the compilation page did not serve the compiled summary")
            path_queries = queries_of(lambda path=path: get_ok(client, path))
            path_ms, baseline = paired_ms(
                lambda path=path: get_ok(client, path), trivial, repeat=repeat * 2
            )
            results.append(
                Measurement(
                    name=name,
                    median_ms=path_ms,
                    baseline_ms=baseline,
                    target=5,
                    queries=path_queries,
                    size_kb=len(content) / 1024,
                )
            )

        answering, staff = build_answering(inquiry, Organization.objects.get(code="013030"))
        staff_client = Client()
        staff_client.force_login(staff)
        form = f"/inquiries/{answering.pk}/answer/"
        page = get_ok(staff_client, form).decode()  # creates nothing: the first save does
        # Post the body a browser would send: multipart only when the form asks for it (it
        # does when the inquiry has a file question), already encoded, as a browser does it
        # before the server's clock starts.
        multipart = 'enctype="multipart/form-data"' in page
        rng = random.Random(20121023)
        posts = [answer_form_post(answering, rng) for _ in range(2)]
        bodies = [urlencode(post, doseq=True) for post in posts]
        saves = [0]

        def answer_save() -> None:
            # Each save changes the answer (two complete answers in turn), based on the
            # revision the previous save left, as the form's hidden field carries it.
            if multipart:
                response = staff_client.post(form, {**posts[saves[0] % 2], "revision": saves[0]})
            else:
                response = staff_client.post(
                    form,
                    f"{bodies[saves[0] % 2]}&revision={saves[0]}",
                    content_type="application/x-www-form-urlencoded",
                )
            if response.status_code != 302:
                raise AssertionError(f"saving the answer form answered {response.status_code}")
            saves[0] += 1

        answer_save()  # the first save creates the organization's answer row
        save_queries = queries_of(answer_save)
        save_ms, baseline = paired_ms(answer_save, trivial, repeat=repeat * 2)
        stored = Answer.objects.get(inquiry=answering)
        if stored.revision != saves[0] or len(stored.data) < QUESTION_COUNT:
            raise AssertionError("the answer form did not store every answer")
        results.append(
            Measurement(
                name="answer_save",
                median_ms=save_ms,
                baseline_ms=baseline,
                target=4,
                queries=save_queries,
            )
        )
        return report(results)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
