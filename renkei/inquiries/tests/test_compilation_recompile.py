"""The summary page never compiles a large inquiry: it queues one background recompile."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks import default_task_backend

from renkei.inquiries.compilation import store as compilation_store
from renkei.inquiries.compilation.store import marker_key
from renkei.inquiries.compilation.tasks import summary_recompile
from renkei.inquiries.models import InquiryStatus, QuestionKind, ResultsVisibility
from renkei.inquiries.tests.builders import (
    PLATFORM,
    add_question,
    make_inquiry,
    make_towns,
    submit_answer,
)
from renkei.inquiries.views import compilation as compilation_views
from renkei.testing import login_client as login

WAITING = "集計しています…"
UPDATING = "集計を更新しています（"


@pytest.fixture(autouse=True)
def isolated():
    cache.clear()


@pytest.fixture
def dummy_tasks(settings):
    """Record queued tasks without running them, as a web process sees the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def large(monkeypatch):
    """Treat every inquiry as too large to compile inside the request."""
    monkeypatch.setattr(compilation_views, "INLINE_VALUES_LIMIT", 1)


@pytest.fixture
def inquiry(council):
    """An open inquiry that 5 towns answered, 2 of them 準拠している."""
    inquiry = make_inquiry(council, status=InquiryStatus.OPEN)
    question = add_question(inquiry, code="Q1", kind=QuestionKind.SINGLE, choices=PLATFORM)
    for i, town in enumerate(make_towns(5)):
        submit_answer(inquiry, town, {str(question.pk): PLATFORM[0] if i < 2 else PLATFORM[2]})
    return inquiry


def run_queued(backend) -> None:
    """Run the queued recompiles, as `manage.py db_worker` would."""
    for result in backend.results:
        summary_recompile.call(*result.args, **result.kwargs)
    backend.clear()


def url(inquiry) -> str:
    return reverse("inquiries:compilation", args=[inquiry.pk])


def change_answer(council, inquiry) -> None:
    question = inquiry.questions.get(code="Q1")
    submit_answer(inquiry, council.other_org, {str(question.pk): PLATFORM[0]})


def test_first_view_of_a_large_inquiry_waits_for_the_background_task(
    council, inquiry, dummy_tasks, large
):
    client = login(council.board)

    waiting = client.get(url(inquiry)).content.decode()
    poll = client.get(url(inquiry) + "?shown=0.0", HTTP_HX_REQUEST="true")
    run_queued(dummy_tasks)
    ready = client.get(url(inquiry) + "?shown=0.0", HTTP_HX_REQUEST="true")
    shown = client.get(url(inquiry)).content.decode()

    assert WAITING in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert f'<a href="{url(inquiry)}">再読み込み</a>' in waiting
    assert "5団体中2団体" not in waiting
    assert WAITING in poll.content.decode()
    assert ready["HX-Refresh"] == "true"
    assert "5団体中2団体（40.0%）" in shown
    assert WAITING not in shown and UPDATING not in shown
    assert dummy_tasks.results == []


def test_stale_summary_is_served_with_a_notice_and_recompiled_once(
    council, inquiry, dummy_tasks, large
):
    client = login(council.board)
    client.get(url(inquiry))
    run_queued(dummy_tasks)
    change_answer(council, inquiry)

    first = client.get(url(inquiry)).content.decode()
    second = client.get(url(inquiry)).content.decode()

    assert len(dummy_tasks.results) == 1
    assert dummy_tasks.results[0].kwargs == {"inquiry_id": inquiry.pk}
    for html in (first, second):
        assert "5団体中2団体（40.0%）" in html
        assert UPDATING in html
        assert "時点の集計を表示しています）" in html
        assert 'hx-trigger="every 2s"' in html


def test_recompiled_summary_is_served_by_the_next_view(council, inquiry, dummy_tasks, large):
    client = login(council.board)
    client.get(url(inquiry))
    run_queued(dummy_tasks)
    change_answer(council, inquiry)
    stale = client.get(url(inquiry))
    shown = stale.content.decode().split("?shown=")[1].split('"')[0]

    pending = client.get(url(inquiry) + f"?shown={shown}", HTTP_HX_REQUEST="true")
    run_queued(dummy_tasks)
    ready = client.get(url(inquiry) + f"?shown={shown}", HTTP_HX_REQUEST="true")
    fresh = client.get(url(inquiry)).content.decode()

    assert UPDATING in pending.content.decode()
    assert "最新の集計ができました。" in ready.content.decode()
    assert "every 2s" not in ready.content.decode()
    assert "6団体中3団体（50.0%）" in fresh
    assert UPDATING not in fresh
    assert dummy_tasks.results == []
    assert cache.get(marker_key(inquiry.pk)) is None


def test_task_stores_the_timestamp_of_the_newest_answer_it_saw(
    council, inquiry, dummy_tasks, large
):
    client = login(council.board)
    client.get(url(inquiry))
    run_queued(dummy_tasks)
    variant, *_ = cache.get(compilation_store._variants_key(inquiry.pk))
    stored = compilation_store.stored_summary(inquiry.pk, variant)
    inquiry.refresh_from_db()

    assert stored.stamp == compilation_store.current_stamp(inquiry)
    assert stored.stamp[1] == inquiry.answers.latest("updated_at").updated_at.timestamp()


def test_a_lost_task_is_queued_again_once_its_marker_expires(council, inquiry, dummy_tasks, large):
    client = login(council.board)
    client.get(url(inquiry))
    client.get(url(inquiry))
    cache.delete(marker_key(inquiry.pk))  # what the marker's expiry does
    client.get(url(inquiry))

    assert len(dummy_tasks.results) == 2


def test_each_variant_is_compiled_by_the_one_task(council, inquiry, dummy_tasks, large):
    board = login(council.board)
    member = login(council.staff)
    question = inquiry.questions.get(code="Q1")
    submit_answer(inquiry, council.member_org, {str(question.pk): PLATFORM[0]})
    inquiry.results_visibility = ResultsVisibility.ANSWERING
    inquiry.hide_names = True
    inquiry.status = InquiryStatus.PUBLISHED
    inquiry.save()
    board.get(url(inquiry))
    assert member.get(url(inquiry)).status_code == 200

    assert len(cache.get(compilation_store._variants_key(inquiry.pk))) == 2
    assert len(dummy_tasks.results) == 1
    run_queued(dummy_tasks)
    assert WAITING not in board.get(url(inquiry)).content.decode()
    assert WAITING not in member.get(url(inquiry)).content.decode()
    assert dummy_tasks.results == []


def test_small_inquiries_compile_inside_the_request(council, inquiry, dummy_tasks):
    client = login(council.board)
    client.get(url(inquiry))
    change_answer(council, inquiry)

    html = client.get(url(inquiry)).content.decode()

    assert "6団体中3団体（50.0%）" in html
    assert UPDATING not in html and WAITING not in html
    assert dummy_tasks.results == []


def test_with_the_immediate_backend_the_next_view_is_fresh(council, inquiry, large):
    client = login(council.board)

    first = client.get(url(inquiry)).content.decode()
    second = client.get(url(inquiry)).content.decode()

    assert WAITING in first
    assert "5団体中2団体（40.0%）" in second
    assert UPDATING not in second


def test_outsiders_neither_see_nor_queue_anything(council, inquiry, dummy_tasks, large):
    client = login(council.outsider)

    assert client.get(url(inquiry)).status_code == 403
    assert client.get(url(inquiry) + "?shown=0", HTTP_HX_REQUEST="true").status_code == 403
    assert dummy_tasks.results == []


def test_polling_is_not_audited(council, inquiry, dummy_tasks, large):
    from renkei.audit.models import Action, AuditEvent

    text = add_question(inquiry, code="Q2", kind=QuestionKind.SHORT_TEXT, required=False)
    submit_answer(inquiry, make_towns(1, start=100)[0], {str(text.pk): "庁内で検討中"})
    client = login(council.board)
    client.get(url(inquiry))  # the waiting page: it shows no answers
    run_queued(dummy_tasks)
    client.get(url(inquiry))  # the summary lists a named answer
    client.get(url(inquiry) + "?shown=0", HTTP_HX_REQUEST="true")

    assert AuditEvent.objects.filter(action=Action.RECORD_VIEWED).count() == 1
