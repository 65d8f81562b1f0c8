"""Queueing mail: rendering per recipient, deduplication, sending after commit."""

import logging

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone

from renkei.mailer.models import OutboxMessage, Status
from renkei.mailer.selectors import outbox_counts, outbox_recent
from renkei.mailer.services import ATTACHMENTS_MAX_BYTES, MailAttachment, mail_queue, outbox_add

pytestmark = pytest.mark.django_db

NOTICE = {"subject": "総会開催のお知らせ", "body": "令和8年度総会を開催します。"}


@pytest.fixture
def plain_template(settings, tmp_path) -> str:
    """A text-only template `mail/plain/` that shows what the context holds."""
    folder = tmp_path / "mail" / "plain"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("{{ title }}\n（{{ site_name }}）\n", encoding="utf-8")
    (folder / "body.txt").write_text(
        "{{ recipient_name }}様 <{{ recipient_email }}>\n{{ note }}\n", encoding="utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.RENKEI = {**settings.RENKEI, "SITE_NAME": "連携テスト"}
    return "plain"


def test_each_recipient_gets_the_template_rendered_for_them():
    messages = mail_queue(
        to=[("当別 太郎", "tobetsu@example.lg.jp"), ("和木 三郎", "waki@example.lg.jp")],
        template="notice",
        context=NOTICE,
        topic="general-meeting",
    )

    assert [m.to_email for m in messages] == ["tobetsu@example.lg.jp", "waki@example.lg.jp"]
    tobetsu, waki = OutboxMessage.objects.order_by("id")
    assert tobetsu.to_name == "当別 太郎"
    assert tobetsu.subject == "総会開催のお知らせ"
    assert tobetsu.body_text.startswith("当別 太郎 様\n\n令和8年度総会を開催します。")
    assert "当別 太郎 様" in tobetsu.body_html
    assert "和木 三郎 様" in waki.body_text
    assert "和木 三郎 様" in waki.body_html
    assert "当別" not in waki.body_text + waki.body_html
    for message in (tobetsu, waki):
        assert message.template == "notice"
        assert message.topic == "general-meeting"
        assert message.status == Status.QUEUED
        assert message.next_attempt_at <= timezone.now()


def test_text_parts_are_not_html_escaped_but_the_html_part_is():
    [message] = mail_queue(
        to=["tobetsu@example.lg.jp"],
        template="notice",
        context={"subject": "A&B <会議>", "body": "議題: R&D <案>"},
    )

    assert message.subject == "A&B <会議>"
    assert "議題: R&D <案>" in message.body_text
    assert "議題: R&amp;D &lt;案&gt;" in message.body_html


def test_html_layout_loads_nothing_from_outside():
    [message] = mail_queue(to=["tobetsu@example.lg.jp"], template="notice", context=NOTICE)

    html = message.body_html
    assert html.startswith("<!DOCTYPE html>")
    for outside in ("<link", "<script", "<style", "src=", "url("):
        assert outside not in html


def test_context_has_site_and_recipient_and_a_template_may_have_no_html(plain_template):
    [message] = mail_queue(
        to=[("深川 一郎", "fukagawa@example.lg.jp")],
        template=plain_template,
        context={"title": "確認", "note": "よろしくお願いします。"},
    )

    assert message.subject == "確認 （連携テスト）"
    assert message.body_text == "深川 一郎様 <fukagawa@example.lg.jp>\nよろしくお願いします。\n"
    assert message.body_html == ""


def test_recipients_are_deduplicated_by_lower_cased_address():
    messages = mail_queue(
        to=[
            ("当別 太郎", "Tobetsu@Example.lg.jp"),
            ("当別 太郎（重複）", "tobetsu@example.lg.jp"),
            ("和木 三郎", " waki@example.lg.jp "),
            ("和木 三郎", "WAKI@example.lg.jp"),
        ],
        template="notice",
        context=NOTICE,
    )

    assert [(m.to_name, m.to_email) for m in messages] == [
        ("当別 太郎", "Tobetsu@Example.lg.jp"),
        ("和木 三郎", "waki@example.lg.jp"),
    ]
    assert OutboxMessage.objects.count() == 2


def test_empty_and_invalid_addresses_are_skipped_and_logged(caplog):
    caplog.set_level(logging.WARNING, logger="renkei.mailer.services")

    messages = mail_queue(
        to=["", "   ", "not-an-address", "tobetsu@example.lg.jp", "a@b@example.lg.jp"],
        template="notice",
        context=NOTICE,
    )

    assert [m.to_email for m in messages] == ["tobetsu@example.lg.jp"]
    skipped = [r.getMessage() for r in caplog.records]
    assert len(skipped) == 4
    assert any("not-an-address" in line for line in skipped)


def test_no_valid_recipient_stores_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert mail_queue(to=["broken"], template="notice", context=NOTICE) == []

    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_a_single_string_is_refused():
    with pytest.raises(TypeError):
        mail_queue(to="tobetsu@example.lg.jp", template="notice", context=NOTICE)


def test_subject_is_joined_onto_one_line():
    [message] = mail_queue(
        to=["tobetsu@example.lg.jp"],
        template="notice",
        context={"subject": "一行目\n二行目\r\n", "body": "本文"},
    )

    assert message.subject == "一行目 二行目"


def test_a_missing_template_stores_nothing():
    with pytest.raises(TemplateDoesNotExist, match=r"mail/absent/subject\.txt"):
        mail_queue(to=["tobetsu@example.lg.jp"], template="absent", context={})

    assert OutboxMessage.objects.count() == 0


def test_a_large_list_is_stored_and_enqueued_after_one_commit(django_capture_on_commit_callbacks):
    addresses = [f"member{i}@example.lg.jp" for i in range(1200)]

    with django_capture_on_commit_callbacks() as callbacks:
        messages = mail_queue(to=addresses, template="notice", context=NOTICE)

    assert OutboxMessage.objects.count() == 1200
    assert all(message.pk for message in messages)
    assert len(callbacks) == 1


def test_queued_mail_is_sent_after_commit(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to=[("当別 太郎", "tobetsu@example.lg.jp")], template="notice", context=NOTICE)
        assert smtp_server.received == []

    [received] = smtp_server.received
    parsed = received.parsed()
    assert parsed["Subject"] == "総会開催のお知らせ"
    assert "令和8年度総会を開催します。" in parsed.get_body(("plain",)).get_content()
    assert "令和8年度総会を開催します。" in parsed.get_body(("html",)).get_content()
    assert OutboxMessage.objects.get().status == Status.SENT


def test_rolled_back_mail_is_never_sent(smtp_server, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_queue(to=["tobetsu@example.lg.jp"], template="notice", context=NOTICE)
        raise RuntimeError("the view failed")

    assert callbacks == []
    assert smtp_server.received == []
    assert OutboxMessage.objects.count() == 0


def test_outbox_add_stores_a_rendered_message_and_sends_it_after_commit(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_add(
            to_email=" fukagawa@example.lg.jp ",
            subject="[Renkei] パスワードの再設定\n",
            body_text="次のリンクから再設定してください。",
            body_html="<p>次のリンクから再設定してください。</p>",
            topic="password-reset",
        )

    message.refresh_from_db()
    assert message.to_email == "fukagawa@example.lg.jp"
    assert message.subject == "[Renkei] パスワードの再設定"
    assert message.topic == "password-reset"
    assert message.status == Status.SENT
    parsed = smtp_server.received[0].parsed()
    assert parsed["Subject"] == "[Renkei] パスワードの再設定"
    assert parsed.get_body(("html",)).get_content().strip() == message.body_html


def test_outbox_add_refuses_an_invalid_address():
    with pytest.raises(ValidationError):
        outbox_add(to_email="fukagawa", subject="件名", body_text="本文")

    assert OutboxMessage.objects.count() == 0


def test_mail_retry_due_command_sends_due_messages(smtp_server, capsys):
    message = OutboxMessage.objects.create(
        to_email="tobetsu@example.lg.jp",
        subject="再送",
        body_text="本文",
        next_attempt_at=timezone.now(),
    )

    call_command("mail_retry_due")

    assert "送信タスクを登録しました" in capsys.readouterr().out
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(smtp_server.received) == 1


def test_outbox_counts_and_recent():
    for status in [Status.QUEUED, Status.SENT, Status.SENT, Status.FAILED]:
        OutboxMessage.objects.create(
            to_email="tobetsu@example.lg.jp", subject=status, body_text="本文", status=status
        )

    assert outbox_counts() == {"queued": 1, "sending": 0, "sent": 2, "failed": 1, "bounced": 0}
    recent = outbox_recent(limit=3)
    assert len(recent) == 3
    assert recent[0].status == Status.FAILED
    assert [m.status for m in outbox_recent(status=Status.SENT)] == [Status.SENT, Status.SENT]


@pytest.mark.urls("renkei.mailer.tests.urls")
def test_admin_lists_and_searches_but_changes_nothing(rf, admin_user):
    # Called directly, not through the middleware, which belongs to other apps.
    model_admin = admin.site.get_model_admin(OutboxMessage)
    wanted = OutboxMessage.objects.create(
        to_email="tobetsu@example.lg.jp", subject="総会のお知らせ", body_text="本文"
    )
    OutboxMessage.objects.create(
        to_email="waki@example.lg.jp", subject="別件", body_text="本文", status=Status.SENT
    )

    def changelist(**params) -> list[OutboxMessage]:
        request = rf.get("/admin/mailer/outboxmessage/", params)
        request.user = admin_user
        return list(model_admin.changelist_view(request).context_data["cl"].result_list)

    request = rf.get("/")
    request.user = admin_user
    assert model_admin.check() == []
    assert changelist(q="tobetsu") == [wanted]
    page = model_admin.change_view(request, str(wanted.pk)).render().content.decode()
    assert "総会のお知らせ" in page
    assert 'name="subject"' not in page  # shown, not editable
    assert changelist(q="総会") == [wanted]
    assert changelist(status__exact="queued") == [wanted]
    assert model_admin.has_view_permission(request, wanted)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, wanted)
    assert not model_admin.has_delete_permission(request, wanted)


def test_attachments_are_sent_with_every_copy(smtp_server, django_capture_on_commit_callbacks):
    calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(
            to=["tobetsu@example.lg.jp", "fukagawa@example.lg.jp"],
            template="notice",
            context=NOTICE,
            attachments=[MailAttachment("総会.ics", calendar, "text/calendar")],
        )

    assert len(smtp_server.received) == 2
    for received in smtp_server.received:
        [part] = list(received.parsed().iter_attachments())
        assert part.get_filename() == "総会.ics"
        assert part.get_content_type() == "text/calendar"
        assert part.get_payload(decode=True) == calendar


def test_oversized_attachments_are_refused_before_anything_is_stored():
    big = MailAttachment("big.bin", b"x" * (ATTACHMENTS_MAX_BYTES + 1), "application/octet-stream")

    with pytest.raises(ValueError):
        mail_queue(
            to=["tobetsu@example.lg.jp"], template="notice", context=NOTICE, attachments=[big]
        )

    assert not OutboxMessage.objects.exists()
