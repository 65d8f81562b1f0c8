"""Inquiry mail: who it reaches (notification addresses), receipts and the requester's notices."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.directory.models import Post
from renkei.inquiries import services
from renkei.inquiries.models import InquiryStatus, ResultsVisibility
from renkei.inquiries.permissions import get_answer_for
from renkei.inquiries.tests.builders import (
    complete_data,
    make_draft,
    make_open,
    towns_without_accounts,
)
from renkei.mailer.models import OutboxMessage
from renkei.testing import Council, make_contact

BASE = "https://renkei.example.lg.jp"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.RENKEI = {**settings.RENKEI, "BASE_URL": BASE}


def opened_to(towns: list) -> set[str]:
    return set(
        OutboxMessage.objects.filter(
            template="inquiry_opened", to_email__contains="town"
        ).values_list("to_email", flat=True)
    )


def test_inquiry_reaches_contacts_without_accounts_and_shared_mailboxes(council):
    towns = towns_without_accounts(4)

    make_open(council)

    assert opened_to(towns) == {f"madoguchi@town{i}.example.lg.jp" for i in range(4)} | {
        f"joho@town{i}.example.lg.jp" for i in range(4)
    }


def test_each_organizations_mail_carries_its_own_answer_link(council):
    towns = towns_without_accounts(2)

    inquiry = make_open(council)

    for town in towns:
        for box in ("madoguchi", "joho"):
            mail = OutboxMessage.objects.get(
                template="inquiry_opened", to_email=f"{box}@town{town.name[1:]}.example.lg.jp"
            )
            [token] = re.findall(re.escape(BASE) + r"/answer/([^/\s]+)/", mail.body_text)
            link = services.answer_link_resolve(token=token)
            assert (link.inquiry, link.organization) == (inquiry, town)


def test_shared_mailbox_that_is_also_the_contacts_address_gets_one_mail(council):
    [town] = towns_without_accounts(1)
    town.notification_email = "MADOGUCHI@town0.example.lg.jp"
    town.save(update_fields=["notification_email"])

    make_open(council)

    assert opened_to([town]) == {"madoguchi@town0.example.lg.jp"}


def test_opening_to_many_organizations_makes_the_same_number_of_queries(council):
    def queries_to_open(count: int) -> int:
        OutboxMessage.objects.all().delete()
        inquiry = make_draft(council)
        with CaptureQueriesContext(connection) as captured:
            services.inquiry_open(inquiry=inquiry, by=council.secretariat)
        assert OutboxMessage.objects.filter(template="inquiry_opened").count() >= 2 * count
        return len(captured)

    towns_without_accounts(3)
    small = queries_to_open(3)
    towns_without_accounts(40, start=100)
    large = queries_to_open(43)

    # 40 more organizations, 80 more messages: at most the INSERTs of more batches of mail
    # (SQLite takes about 80 rows per INSERT, PostgreSQL 500), never a query per organization.
    assert large - small <= 2


def test_reminder_mail_is_queued_with_the_reminder_and_reaches_contacts(council):
    towns = towns_without_accounts(2)
    inquiry = make_open(council)
    OutboxMessage.objects.all().delete()

    reminder = services.inquiry_remind(inquiry=inquiry, by=council.secretariat)

    reminded = set(OutboxMessage.objects.values_list("to_email", flat=True))
    assert {f"joho@town{i}.example.lg.jp" for i in range(2)} <= reminded
    assert reminder.message_count == len(reminded)
    assert len(towns) == 2


def test_submission_sends_a_receipt_to_the_organization_and_the_submitter(council, contacts):
    council.member_org.notification_email = "joho@tobetsu.example.lg.jp"
    council.member_org.save(update_fields=["notification_email"])
    inquiry = make_open(council)
    answer = get_answer_for(council.representative, inquiry.pk)
    services.answer_save(
        answer=answer, by=council.representative, revision=0, data=complete_data(inquiry)
    )

    services.answer_submit(answer=answer, by=council.representative, revision=answer.revision)

    receipts = OutboxMessage.objects.filter(template="inquiry_answer_received")
    assert {m.to_email for m in receipts} == {
        "joho@tobetsu.example.lg.jp",
        council.staff.email,  # 当別町's 連絡窓口
        council.representative.email,  # who submitted
    }
    body = receipts[0].body_text
    assert "当別町の回答を受け付けました" in body
    assert "第1版" in body
    assert "当別 太郎" in body


def test_requester_is_told_when_its_request_is_approved_closed_and_published(council):
    inquiry = make_draft(council, by=council.board)
    services.inquiry_submit_for_review(inquiry=inquiry, by=council.board)
    council.board_org.notification_email = "joho@fukagawa.example.lg.jp"
    council.board_org.save(update_fields=["notification_email"])

    services.inquiry_approve(inquiry=inquiry, by=council.secretariat)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)
    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)

    notices = OutboxMessage.objects.filter(
        template="inquiry_requester_notice", to_email="joho@fukagawa.example.lg.jp"
    ).order_by("pk")
    assert [re.sub(r".*：", "", m.subject) for m in notices] == [
        "事務局に承認され、照会先へ送信されました",
        "回答の受付を締め切りました",
        "結果が公開されました",
    ]
    # The author hears of the approval in inquiry_reviewed, and of the rest here.
    assert (
        OutboxMessage.objects.filter(
            template="inquiry_requester_notice", to_email=council.board.email
        ).count()
        == 2
    )


def test_requester_is_told_when_the_secretariat_opens_its_inquiry(council):
    council.secretariat_org.notification_email = "jimukyoku@example.lg.jp"
    council.secretariat_org.save(update_fields=["notification_email"])

    make_open(council)

    [notice] = OutboxMessage.objects.filter(template="inquiry_requester_notice")
    assert notice.to_email in {"jimukyoku@example.lg.jp", council.secretariat.email}
    assert "回答の受付を開始しました" in notice.subject


@pytest.mark.parametrize(
    ("visibility", "told"),
    [
        (ResultsVisibility.MEMBERS, {"staff", "outsider", "board"}),
        (ResultsVisibility.ANSWERING, {"staff"}),
        (ResultsVisibility.NOBODY_ELSE, set()),
    ],
)
def test_targets_that_may_read_the_results_are_told_when_they_are_published(
    council: Council, contacts, visibility, told
):
    inquiry = make_open(council, results_visibility=visibility)
    answer = get_answer_for(council.staff, inquiry.pk)
    services.answer_save(answer=answer, by=council.staff, revision=0, data=complete_data(inquiry))
    services.answer_submit(answer=answer, by=council.staff, revision=answer.revision)
    services.inquiry_close(inquiry=inquiry, by=council.secretariat)

    services.inquiry_publish_results(inquiry=inquiry, by=council.secretariat)

    assert inquiry.status == InquiryStatus.PUBLISHED
    users = council.users_by_role()
    assert set(
        OutboxMessage.objects.filter(template="inquiry_results_published").values_list(
            "to_email", flat=True
        )
    ) == {users[name].email for name in told}


def test_contacts_without_accounts_receive_the_inquiry_over_real_smtp(
    council,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    towns = towns_without_accounts(2)
    inquiry = make_draft(council)

    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_open(inquiry=inquiry, by=council.secretariat)

    received = {
        message.rcpt_tos[0]: message.parsed()
        for message in smtp_server.received
        if "town" in message.rcpt_tos[0]
    }
    assert set(received) == {
        f"{box}@town{i}.example.lg.jp" for i in range(2) for box in ("madoguchi", "joho")
    }
    for town in towns:
        for box in ("madoguchi", "joho"):
            parsed = received[f"{box}@town{town.name[1:]}.example.lg.jp"]
            assert parsed["Subject"].strip().startswith("【照会】情報セキュリティポリシーについて")
            body = parsed.get_body(("plain",)).get_content()
            [token] = re.findall(re.escape(BASE) + r"/answer/([^/\s]+)/", body)
            assert services.answer_link_resolve(token=token).organization == town


def test_contact_who_left_the_post_gets_no_mail(council):
    [town] = towns_without_accounts(1)
    town.notification_email = ""
    town.save(update_fields=["notification_email"])
    Post.objects.filter(organization=town).update(holder=None)

    make_open(council)

    assert opened_to([town]) == set()


def test_contact_post_of_a_person_with_a_suspended_account_gets_no_mail(council):
    make_contact(user=council.outsider)
    council.outsider.is_active = False
    council.outsider.save(update_fields=["is_active"])

    make_open(council)

    assert not OutboxMessage.objects.filter(to_email=council.outsider.email).exists()
