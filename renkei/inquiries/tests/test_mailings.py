"""Notices to target organizations are rendered by a background task, with visible progress.

The request that opens an inquiry records a Mailing and queues it; the worker renders the
messages a chunk at a time and resumes a mailing whose worker died without mailing any
organization twice.
"""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from renkei.directory.models import Organization
from renkei.inquiries import mailings, services
from renkei.inquiries.models import Inquiry, Mailing, MailingStatus, QuestionKind, Reminder
from renkei.inquiries.tests.builders import make_villages
from renkei.mailer.models import OutboxMessage
from renkei.testing import Council, login_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_tasks(settings):
    """Record queued tasks without running them, as a web process sees the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def villages(council: Council) -> list[Organization]:
    """Twelve villages, each with its own notification address."""
    return make_villages(12, prefecture_code="20", notified=True)


def draft(council: Council) -> Inquiry:
    """A secretariat draft with one question, to the twelve villages."""
    by = council.secretariat
    inquiry = services.inquiry_create(
        by=by,
        draft=services.InquiryDraft(
            title="庁内ネットワークの分離状況",
            purpose="分離方式を伺います。",
            deadline=timezone.now() + dt.timedelta(days=14),
        ),
    )
    services.question_create(
        inquiry=inquiry,
        by=by,
        draft=services.QuestionDraft(kind=QuestionKind.YES_NO, text="分離済みですか。"),
    )
    village_ids = list(
        Organization.objects.filter(code__startswith="9").values_list("pk", flat=True)
    )
    services.inquiry_targets_set(
        inquiry=inquiry, by=by, spec={"mode": "pick", "organization_ids": village_ids}
    )
    return inquiry


def village_mails() -> Counter:
    return Counter(
        OutboxMessage.objects.filter(to_email__contains="@village").values_list(
            "to_email", flat=True
        )
    )


def test_opening_queues_the_notices_instead_of_rendering_them(council, villages, queued_tasks):
    inquiry = draft(council)
    response = login_client(council.secretariat).post(
        reverse("inquiries:open", args=[inquiry.pk]), {"confirm": "yes"}
    )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "open"
    assert village_mails() == Counter()
    mailing = Mailing.objects.get(inquiry=inquiry)
    assert (mailing.status, mailing.organizations_total) == (MailingStatus.PENDING, 12)
    assert mailing.requested_by == council.secretariat
    assert [result.task.name for result in queued_tasks.results] == ["mailing_run"]


@pytest.fixture
def queued_mailing(council, villages, queued_tasks, monkeypatch) -> Mailing:
    """The mailing of an inquiry just opened, queued and not yet run, five villages a chunk."""
    monkeypatch.setattr(mailings, "CHUNK_SIZE", 5)
    inquiry = draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    return Mailing.objects.get(inquiry=inquiry)


def test_progress_page_shows_the_notice_being_made_and_polls_until_done(council, queued_mailing):
    mailing, inquiry = queued_mailing, queued_mailing.inquiry
    client = login_client(council.secretariat)
    progress_url = reverse("inquiries:progress", args=[inquiry.pk])
    poll_url = reverse("inquiries:mailings", args=[inquiry.pk])

    page = client.get(progress_url).content.decode()
    assert "通知メールの作成状況" in page
    assert "照会の送信</strong>：待機中（0 / 12団体、0通）" in page
    assert f'hx-get="{poll_url}"' in page

    assert mailings._mailing_claim(mailing.pk, now=timezone.now())
    assert mailings._chunk_render(mailing.pk) is True
    fragment = client.get(poll_url).content.decode()
    assert "照会の送信</strong>：作成中（5 / 12団体、5通）" in fragment

    while mailings._chunk_render(mailing.pk):
        pass
    fragment = client.get(poll_url).content.decode()
    assert "通知メールの作成状況" not in fragment
    assert "hx-get" not in fragment
    assert village_mails() == Counter({f"joho{i}@village{i}.example.lg.jp": 1 for i in range(12)})


def test_each_organization_gets_its_own_answer_link(council, villages):
    inquiry = draft(council)

    services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    bodies = OutboxMessage.objects.filter(to_email__contains="@village").values_list(
        "body_text", flat=True
    )
    links = {line for body in bodies for line in body.splitlines() if "/answer/" in line}
    assert len(links) == 12
    assert Mailing.objects.get().status == MailingStatus.DONE


def test_a_worker_killed_mid_mailing_is_resumed_and_nobody_is_mailed_twice(
    queued_tasks, queued_mailing
):
    mailing = queued_mailing
    # A worker claims the mailing, renders one chunk and dies.
    started = timezone.now()
    assert mailings._mailing_claim(mailing.pk, now=started)
    mailings._chunk_render(mailing.pk)
    queued_tasks.clear()

    # A second worker does not take it while the first could still be alive …
    assert mailings.mailing_run.call(mailing_id=mailing.pk) == "skipped"
    assert mailings.mailings_resume_stalled(now=started + dt.timedelta(minutes=1)) == 0
    # … but the reminder command's sweep queues it once the heartbeat is old.
    Mailing.objects.filter(pk=mailing.pk).update(
        heartbeat_at=timezone.now() - mailings.STALLED_AFTER - dt.timedelta(seconds=1)
    )
    assert mailings.mailings_resume_stalled() == 1
    for result in queued_tasks.results:
        mailings.mailing_run.call(**result.kwargs)

    mailing.refresh_from_db()
    assert (mailing.status, mailing.organizations_done, mailing.message_count) == (
        MailingStatus.DONE,
        12,
        12,
    )
    assert village_mails() == Counter({f"joho{i}@village{i}.example.lg.jp": 1 for i in range(12)})


def test_a_mailing_that_fails_says_so_and_how_far_it_got(council, villages, monkeypatch):
    monkeypatch.setattr(mailings, "CHUNK_SIZE", 5)
    calls = []
    real = mailings.contacts_mail

    def fail_on_second_chunk(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("SMTP template broken")
        return real(**kwargs)

    monkeypatch.setattr(mailings, "contacts_mail", fail_on_second_chunk)
    inquiry = draft(council)

    services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    mailing = Mailing.objects.get(inquiry=inquiry)
    assert (mailing.status, mailing.organizations_done) == (MailingStatus.FAILED, 5)
    assert len(village_mails()) == 5


def test_failed_mailing_is_shown_on_the_detail_page(council, villages, queued_tasks):
    inquiry = draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    Mailing.objects.filter(inquiry=inquiry).update(
        status=MailingStatus.FAILED, organizations_done=5
    )

    page = (
        login_client(council.secretariat)
        .get(reverse("inquiries:detail", args=[inquiry.pk]))
        .content.decode()
    )

    assert "通知メールの作成が途中で止まりました" in page
    assert "5団体までは送信済みです" in page
    assert "hx-get" not in page.split('id="mailings"')[1].split(">")[0]


def test_reminder_records_the_mails_its_mailing_made(council, villages):
    inquiry = draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    OutboxMessage.objects.all().delete()

    reminder = services.inquiry_remind(inquiry=inquiry, by=council.secretariat)

    assert reminder is not None
    assert reminder.mailing.template == "inquiry_reminder"
    assert Reminder.objects.get().message_count == 12 == len(village_mails())


def test_target_member_does_not_see_the_mailing_progress(council, villages, queued_tasks):
    inquiry = draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    response = login_client(council.staff).get(reverse("inquiries:mailings", args=[inquiry.pk]))

    assert response.status_code == 403


def test_mailing_progress_costs_the_same_queries_with_many_mailings(
    council, villages, queued_tasks, django_assert_max_num_queries
):
    inquiry = draft(council)
    services.inquiry_open(inquiry=inquiry, by=council.secretariat)
    client = login_client(council.secretariat)
    url = reverse("inquiries:mailings", args=[inquiry.pk])
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for _ in range(20):
        mailings.mailing_request(
            inquiry=inquiry,
            organization_ids=[v.pk for v in villages],
            template="inquiry_reminder",
            by=None,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
