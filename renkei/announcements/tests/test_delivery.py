"""Who a delivery reaches, and what each copy carries, against a real SMTP server."""

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from renkei.announcements import selectors, services
from renkei.announcements.models import (
    AnnouncementKind,
    AudienceKind,
    DeliveryStatus,
    ExternalContact,
    NewsletterOptOut,
)
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import Group, GroupKind, GroupMember, OrganizationKind
from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.verp import message_id_of
from renkei.testing import make_contact

pytestmark = pytest.mark.django_db


def _addresses(delivery) -> set[str]:
    return set(
        OutboxMessage.objects.filter(topic=delivery.topic).values_list("to_email", flat=True)
    )


def test_all_members_reach_contacts_shared_mailboxes_and_accounts_each_once(
    council, make_announcement, publish, smtp_server
):
    make_contact(user=council.staff)  # the staff's address is both a contact and an account
    council.member_org.notification_email = "joho@town.tobetsu.example.lg.jp"
    council.member_org.save()

    delivery = publish(make_announcement())

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    expected = {
        "joho@town.tobetsu.example.lg.jp",
        "tobetsu-staff@example.lg.jp",
        "tobetsu-kanri@example.lg.jp",
        "waki-staff@example.lg.jp",
        "fukagawa@example.lg.jp",
        "soumu@example.lg.jp",
    }
    assert _addresses(delivery) == expected
    assert delivery.recipient_count == len(expected)
    received = [r for m in smtp_server.received for r in m.rcpt_tos]
    assert sorted(received) == sorted(expected)  # one copy each, the contact's included
    assert selectors.delivery_counts(delivery=delivery)["sent"] == len(expected)


def test_a_group_audience_reaches_only_the_groups_organizations(
    council, make_announcement, publish
):
    board = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    GroupMember.objects.create(group=board, organization=council.board_org)

    delivery = publish(make_announcement(audience=AudienceKind.GROUP, group=board))

    assert _addresses(delivery) == {"fukagawa@example.lg.jp"}


def test_kind_and_prefecture_audiences_narrow_the_members(council, make_announcement, publish):
    towns = publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["town"]))
    hokkaido = publish(make_announcement(audience=AudienceKind.PREFECTURE, prefectures=["01"]))

    assert _addresses(towns) == {
        "tobetsu-staff@example.lg.jp",
        "tobetsu-kanri@example.lg.jp",
        "waki-staff@example.lg.jp",
    }
    assert _addresses(hokkaido) == {
        "tobetsu-staff@example.lg.jp",
        "tobetsu-kanri@example.lg.jp",
        "fukagawa@example.lg.jp",
    }


def test_non_member_contacts_get_the_mail_only_when_chosen(council, make_announcement, publish):
    ExternalContact.objects.create(organization_name="未加入町", email="mikanyu@example.lg.jp")
    ExternalContact.objects.create(email="stopped@example.lg.jp", is_active=False)

    plain = publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"]))
    invited = publish(
        make_announcement(
            audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"], include_external=True
        )
    )
    only = publish(make_announcement(audience=AudienceKind.EXTERNAL_ONLY))

    assert _addresses(plain) == {"fukagawa@example.lg.jp"}
    assert _addresses(invited) == {"fukagawa@example.lg.jp", "mikanyu@example.lg.jp"}
    assert _addresses(only) == {"mikanyu@example.lg.jp"}


def test_a_newsletter_skips_unsubscribed_addresses_but_a_notice_reaches_them(
    council, make_announcement, publish
):
    NewsletterOptOut.objects.create(email="waki-staff@example.lg.jp")

    newsletter = publish(make_announcement(kind=AnnouncementKind.NEWSLETTER))
    notice = publish(make_announcement(kind=AnnouncementKind.NOTICE))

    newsletter.refresh_from_db()
    assert "waki-staff@example.lg.jp" not in _addresses(newsletter)
    assert newsletter.unsubscribed_count == 1
    assert "waki-staff@example.lg.jp" in _addresses(notice)


def _newsletter_to_fukagawa(make_announcement, publish, smtp_server):
    """Publish a newsletter to the cities (深川市 alone here); return the one copy received."""
    publish(
        make_announcement(
            kind=AnnouncementKind.NEWSLETTER,
            audience=AudienceKind.ORGANIZATION_KIND,
            kinds=["city"],
        )
    )
    [received] = smtp_server.received
    return received.parsed()


def test_a_newsletter_copy_carries_its_own_one_click_unsubscribe(
    council, make_announcement, publish, smtp_server, settings
):
    parsed = _newsletter_to_fukagawa(make_announcement, publish, smtp_server)
    assert parsed["Subject"].strip() == "【メールマガジン】令和8年度総会の開催について"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = parsed["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(settings.RENKEI["BASE_URL"] + "/announcements/unsubscribe/")
    assert link in parsed.get_body(("plain",)).get_content()
    path = "/" + link.split("/", 3)[3]

    # What a mail client does (RFC 8058): a POST without any session or CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert NewsletterOptOut.objects.filter(email="fukagawa@example.lg.jp").exists()


def test_the_unsubscribe_header_names_the_link_of_the_body_even_a_second_later(
    council, make_announcement, publish, smtp_server, monkeypatch
):
    # Each signature a second after the last, as on a slow machine: signed once, the header
    # and the body still carry the same link.
    clock = iter(range(1_800_000_000, 1_800_001_000))
    monkeypatch.setattr(signing.time, "time", lambda: next(clock))
    parsed = _newsletter_to_fukagawa(make_announcement, publish, smtp_server)
    link = parsed["List-Unsubscribe"].strip().strip("<>")
    assert link in parsed.get_body(("plain",)).get_content()


def test_a_notice_has_no_unsubscribe_header(council, make_announcement, publish, smtp_server):
    publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"]))

    [received] = smtp_server.received
    parsed = received.parsed()
    assert parsed["Subject"].strip() == "【お知らせ】令和8年度総会の開催について"
    assert parsed["List-Unsubscribe"] is None
    assert "<strong>6月</strong>" in parsed.get_body(("html",)).get_content()


def test_each_copy_returns_to_its_own_verp_address(
    council, make_announcement, publish, smtp_server, settings
):
    settings.RENKEI = {**settings.RENKEI, "MAIL_BOUNCE_ADDRESS": "bounces@renkei.example.lg.jp"}

    delivery = publish(make_announcement(audience=AudienceKind.PREFECTURE, prefectures=["01"]))

    by_recipient = {m.rcpt_tos[0]: m for m in smtp_server.received}
    message = OutboxMessage.objects.get(topic=delivery.topic, to_email="fukagawa@example.lg.jp")
    received = by_recipient["fukagawa@example.lg.jp"]
    assert received.mail_from.startswith("bounces+")
    assert message_id_of(received.mail_from) == message.message_id
    assert received.parsed()["From"] == settings.DEFAULT_FROM_EMAIL
    assert len({m.mail_from for m in smtp_server.received}) == 3


def test_resend_sends_again_only_to_the_failed_recipients(
    council, make_announcement, publish, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.replies = ["550 5.1.1 No such user"]  # the first recipient is refused
    delivery = publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["town"]))
    counts = selectors.delivery_counts(delivery=delivery)
    assert counts == {"queued": 0, "sent": 2, "failed": 1, "bounced": 0}
    failed = OutboxMessage.objects.get(topic=delivery.topic, status=Status.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.delivery_resend_failures(delivery=delivery, by=council.secretariat)

    assert count == 1
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert sorted(r for m in smtp_server.received for r in m.rcpt_tos).count(failed.to_email) == 1
    assert selectors.delivery_counts(delivery=delivery)["sent"] == 3


def test_without_mail_nothing_is_sent_and_nothing_counted(council, make_announcement, publish):
    delivery = publish(make_announcement(send_mail=False))

    assert delivery is None
    assert OutboxMessage.objects.count() == 0
    assert selectors.deliveries_in_fiscal_year() == 0


def test_deliveries_are_counted_per_fiscal_year(council, make_announcement, publish):
    for _ in range(3):
        publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"]))

    assert selectors.deliveries_in_fiscal_year() == 3
    [(year, count)] = selectors.deliveries_per_fiscal_year()
    assert (year, count) == (fiscal_year_of(timezone.localdate()), 3)


def test_recipients_of_a_national_audience_take_a_fixed_number_of_queries(
    council, make_announcement, django_assert_max_num_queries
):
    from renkei.testing import make_organization, make_user

    announcement = make_announcement()
    for index in range(30):
        organization = make_organization(
            code=f"99{index:04d}", name=f"試験町{index}", kind=OrganizationKind.TOWN
        )
        make_user(
            username=f"town{index}", name=f"職員{index}", role="staff", organization=organization
        )

    with django_assert_max_num_queries(6):
        recipients, _ = selectors.delivery_recipients(announcement=announcement)

    assert len(recipients) == 5 + 30  # the council's five member accounts and the towns'


def test_a_bounce_shows_in_the_delivery_log(council, make_announcement, publish, settings):
    from renkei.mailer.inbound import inbound_deliver
    from renkei.mailer.verp import return_path

    settings.RENKEI = {**settings.RENKEI, "MAIL_BOUNCE_ADDRESS": "bounces@renkei.example.lg.jp"}
    delivery = publish(make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"]))
    message = OutboxMessage.objects.get(topic=delivery.topic)

    inbound_deliver(
        content=b"Subject: Undelivered Mail Returned to Sender\r\n\r\nUser unknown\r\n",
        recipients=[return_path(message_id=message.message_id)],
        envelope_from="",
    )

    assert selectors.delivery_counts(delivery=delivery) == {
        "queued": 0,
        "sent": 0,
        "failed": 0,
        "bounced": 1,
    }


def test_a_delivery_whose_task_was_lost_is_prepared_once_by_cron(
    council, make_announcement, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.core.management import call_command

    announcement = make_announcement(audience=AudienceKind.ORGANIZATION_KIND, kinds=["city"])
    services.announcement_publish(announcement=announcement, by=council.secretariat)  # no commit
    delivery = announcement.deliveries.get()
    assert delivery.status == DeliveryStatus.PREPARING
    type(delivery).objects.filter(pk=delivery.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("announcements_publish_due")
        call_command("announcements_publish_due")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert _addresses(delivery) == {"fukagawa@example.lg.jp"}
    assert OutboxMessage.objects.filter(topic=delivery.topic).count() == 1
