"""List mail received by the project's SMTP server: decoded, threaded, held or refused."""

import smtplib

import pytest

from renkei.forum.lists.models import ListAttachment, ListMessage, MessageStatus, NonMemberPolicy
from renkei.forum.lists.services import message_post
from renkei.forum.lists.tests.client_mail import LIST_ADDRESS, cp50220
from renkei.mailer.inbound import inbound_deliver
from renkei.mailer.models import FailingAddress, OutboxMessage, Status
from renkei.mailer.verp import return_path


def _deliver(content: bytes, *, sender: str) -> str | None:
    [outcome] = inbound_deliver(content=content, recipients=[LIST_ADDRESS], envelope_from=sender)
    return outcome.reply


def _accepted(content: bytes, *, sender: str) -> ListMessage:
    """Deliver mail the list takes without a reply and return the one message it stored."""
    assert _deliver(content, sender=sender) is None
    return ListMessage.objects.get()


def test_outlook_iso_2022_jp_with_extension_characters_is_decoded_exactly(board, samples):
    sender = board.council.board.email

    message = _accepted(samples.outlook(sender=sender.upper()), sender=sender)

    assert message.status == MessageStatus.PUBLISHED
    assert message.subject == "Re: 第①回役員会の資料（㈱ベンダー提案）"
    assert message.from_name == "佐藤 髙志"
    assert "資料①と㈱○○の提案" in message.body and "髙橋様" in message.body
    assert message.sender == board.council.board
    assert not message.converted_from_html  # the text/plain alternative was taken


def test_thunderbird_utf8_with_an_rfc2231_file_name_keeps_the_pdf(board, samples):
    message = _accepted(samples.thunderbird(sender=board.council.board.email), sender="")

    assert message.subject == "来年度の研修計画について（入札・監査）"
    assert message.from_name == "深川 花子"
    assert message.mailer == "Mozilla Thunderbird"
    [attachment] = message.attachments.all()
    assert attachment.name == "研修計画.pdf"
    assert attachment.file.read().startswith(b"%PDF-")


def test_becky_encoded_word_file_name_and_half_width_katakana(board, samples):
    message = _accepted(samples.becky(sender=board.auditor.email), sender="")

    assert message.from_name == "当別 一郎"
    assert "ｶﾀｶﾅも入っています" in message.body
    assert message.attachments.get().name == "議事録①.pdf"
    assert message.sender_person == board.auditor


def test_raw_8bit_shift_jis_headers_and_file_names_are_decoded(board, samples):
    message = _accepted(samples.groupware_raw_8bit(sender=board.council.board.email), sender="")

    assert message.from_name == "深川 ①太郎"
    assert message.subject == "髙橋様よりの伝言（㈱）"
    assert message.body == "伝言をお伝えします。①②③"
    assert message.attachments.get().name == "伝言メモ.pdf"


def test_html_only_mail_is_converted_to_text_without_scripts_or_styles(board, samples):
    board.mailing_list.nonmember_policy = NonMemberPolicy.HOLD
    board.mailing_list.save()

    message = _accepted(samples.active_mail_html(sender=board.council.board.email), sender="")

    assert message.converted_from_html
    assert message.subject == "日程のご連絡"
    assert "会議の日程は12月10日です。" in message.body
    assert "よろしくお願いします。&" in message.body
    assert "alert" not in message.body and "color" not in message.body and "<" not in message.body


def test_the_same_message_received_twice_is_stored_and_mailed_once(board, samples):
    content = samples.outlook(sender=board.auditor.email)

    assert _deliver(content, sender="") is None
    assert _deliver(content, sender="") is None

    message = ListMessage.objects.get()
    assert OutboxMessage.objects.filter(topic=f"lists:{message.pk}").count() == 2


def test_a_non_member_is_held_and_the_moderator_told(board, samples):
    message = _accepted(
        samples.outlook(sender="vendor@example.co.jp"), sender="vendor@example.co.jp"
    )

    assert message.status == MessageStatus.HELD and message.thread is None
    notice = OutboxMessage.objects.get(template="lists_held")
    assert notice.to_email == board.council.secretariat.email
    assert not OutboxMessage.objects.filter(template="lists_message").exists()


def test_a_list_that_refuses_non_members_answers_550_and_stores_nothing(board, samples):
    board.mailing_list.nonmember_policy = NonMemberPolicy.REFUSE
    board.mailing_list.save()

    reply = _deliver(samples.outlook(sender="vendor@example.co.jp"), sender="vendor@example.co.jp")

    assert reply.startswith("550 5.7.1")
    assert not ListMessage.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        # ISO-2022-JP declared, but a raw 8-bit byte inside: nothing may be guessed.
        (
            b"From: a@fukagawa.example.lg.jp\r\nSubject: x\r\n"
            b"Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B\xb0\xa1\x1b(B\r\n",
            "554 5.6.0",
        ),
        # A JIS code with no character at all (row 14 is empty even in CP932).
        (
            b"From: a@fukagawa.example.lg.jp\r\nSubject: x\r\n"
            b"Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B.!\x1b(B\r\n",
            "554 5.6.0",
        ),
        # Shift_JIS with a lead byte cut off at the end.
        (
            b"From: a@fukagawa.example.lg.jp\r\nSubject: x\r\n"
            b"Content-Type: text/plain; charset=Shift_JIS\r\n\r\n\x88\xa2\x88\r\n",
            "554 5.6.0",
        ),
        # A multipart message whose boundary never appears.
        (
            b"From: a@fukagawa.example.lg.jp\r\nSubject: x\r\n"
            b'Content-Type: multipart/mixed; boundary="zzz"\r\n\r\nno parts here\r\n',
            "554 5.6.0",
        ),
        # No From header.
        (b"Subject: x\r\n\r\nbody\r\n", "554 5.6.0"),
    ],
    ids=["8bit-in-jis", "empty-jis-row", "cut-shift-jis", "no-boundary", "no-from"],
)
def test_malformed_or_undecodable_mail_is_refused_and_nothing_stored(board, content, code):
    reply = _deliver(content, sender="a@fukagawa.example.lg.jp")

    assert reply.startswith(code)
    assert not ListMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_executable_attachment_is_refused_and_nothing_stored(board, samples):
    content = samples.becky(
        sender=board.auditor.email,
        filename="setup.exe",
        content=b"MZ\x90\x00",
        content_type="application/octet-stream",
    )

    reply = _deliver(content, sender="")

    assert reply.startswith("554 5.6.1")
    assert not ListMessage.objects.exists() and not ListAttachment.objects.exists()


def test_an_oversized_message_is_refused_552(board, samples, settings):
    settings.RENKEI = {**settings.RENKEI, "LIST_MAX_MESSAGE_BYTES": 1000}

    reply = _deliver(samples.thunderbird(sender=board.council.board.email), sender="")

    assert reply.startswith("552 5.3.4")
    assert not ListMessage.objects.exists()


def test_automatic_replies_and_loops_are_refused(board, samples):
    vacation = b"Auto-Submitted: auto-replied\r\n" + samples.outlook(sender=board.auditor.email)
    loop = f"List-Id: yakuin <{board.mailing_list.list_id}>\r\n".encode() + samples.outlook(
        sender=board.auditor.email
    )

    assert _deliver(vacation, sender="").startswith("550 5.7.1")
    assert _deliver(loop, sender="").startswith("550 5.4.6")
    assert not ListMessage.objects.exists()


def test_a_reply_to_a_members_copy_threads_under_the_original(
    board, samples, django_capture_on_commit_callbacks
):
    original = message_post(
        mailing_list=board.mailing_list,
        subject="第2回役員会の日程",
        body="候補日をお知らせください。",
        by=board.council.secretariat,
    )
    copy = OutboxMessage.objects.get(template="lists_message", to_email=board.auditor.email)
    copy_id = f"<{copy.message_id}@example.lg.jp>"

    # Outlook answers the copy it got: In-Reply-To and References name the copy's Message-ID.
    reply = _deliver(
        samples.outlook(sender=board.auditor.email, in_reply_to=copy_id, references=f"{copy_id}"),
        sender="",
    )

    assert reply is None
    answer = ListMessage.objects.exclude(pk=original.pk).get()
    assert answer.parent == original and answer.thread == original.thread
    original.thread.refresh_from_db()
    assert original.thread.message_count == 2


def test_a_reply_naming_the_original_message_id_threads_too(board, samples):
    first = _deliver(samples.thunderbird(sender=board.council.board.email), sender="")
    assert first is None
    original = ListMessage.objects.get()

    _deliver(
        samples.outlook(
            sender=board.auditor.email,
            in_reply_to="",
            references=f"<unknown@elsewhere.example> {original.message_id}",
        ),
        sender="",
    )

    answer = ListMessage.objects.exclude(pk=original.pk).get()
    assert answer.parent == original and answer.thread_id == original.thread_id


def test_each_member_gets_one_copy_with_list_headers_and_a_verp_return_path(
    board, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            mailing_list=board.mailing_list,
            subject="第2回役員会の日程",
            body="候補日をお知らせください。①",
            by=board.council.board,
        )

    recipients = sorted(r for m in smtp_server.received for r in m.rcpt_tos)
    assert recipients == sorted([board.council.board.email, board.auditor.email])
    copy = smtp_server.received[0].parsed()
    assert copy["List-Id"] == f"yakuin <{board.mailing_list.list_id}>"
    assert copy["List-Post"] == f"<mailto:{LIST_ADDRESS}>"
    assert copy["List-Archive"].startswith("<https://renkei.example.lg.jp/lists/")
    assert copy["List-Unsubscribe"].endswith("/receiving/>")
    assert copy["Reply-To"] == LIST_ADDRESS
    assert copy["From"].addresses[0].addr_spec == LIST_ADDRESS
    assert "役員会" in copy["From"].addresses[0].display_name
    assert copy["Subject"] == "[役員会] 第2回役員会の日程"
    assert "候補日をお知らせください。①" in copy.get_content()
    outbox = OutboxMessage.objects.get(to_email=smtp_server.received[0].rcpt_tos[0])
    assert smtp_server.received[0].mail_from == return_path(message_id=outbox.message_id)


def test_a_bounced_copy_marks_the_address_failing_and_later_posts_skip_it(board):
    message_post(
        mailing_list=board.mailing_list, subject="日程", body="本文", by=board.council.board
    )
    copy = OutboxMessage.objects.get(to_email=board.auditor.email)
    OutboxMessage.objects.filter(pk=copy.pk).update(status=Status.SENT)

    inbound_deliver(
        content=b"Subject: Undelivered Mail Returned to Sender\r\n\r\nUser unknown\r\n",
        recipients=[return_path(message_id=copy.message_id)],
        envelope_from="",
    )
    message_post(
        mailing_list=board.mailing_list, subject="日程2", body="本文", by=board.council.board
    )

    assert FailingAddress.objects.filter(email=board.auditor.email).exists()
    assert (
        OutboxMessage.objects.filter(template="lists_message", to_email=board.auditor.email).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_over_smtp_a_member_reply_is_threaded_and_strangers_and_unknown_lists_refused(
    board, samples, list_server, smtp_server
):
    original = message_post(
        mailing_list=board.mailing_list,
        subject="第2回役員会の日程",
        body="候補日をお知らせください。",
        by=board.council.secretariat,
    )
    copy = next(m.parsed() for m in smtp_server.received if board.auditor.email in m.rcpt_tos)
    smtp_server.received.clear()

    with smtplib.SMTP("127.0.0.1", list_server, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail(board.auditor.email, [f"nolist@{LIST_ADDRESS.split('@')[1]}"], b"x")
        client.sendmail(
            board.auditor.email,
            [LIST_ADDRESS],
            samples.outlook(
                sender=board.auditor.email,
                in_reply_to=copy["Message-ID"],
                references=f"{copy['References'] or ''} {copy['Message-ID']}".strip(),
            ),
        )
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail(
                "x@y.example",
                [LIST_ADDRESS],
                b"From: x@y.example\r\nSubject: x\r\nContent-Type: text/plain; "
                b"charset=ISO-2022-JP\r\n\r\n\x1b$B\xb0\xa1\r\n",
            )
        assert refused.value.smtp_code == 554

    answer = ListMessage.objects.exclude(pk=original.pk).get()
    assert answer.parent_id == original.pk and answer.thread_id == original.thread_id
    # The reply went out to both members, threaded under the original for their clients.
    assert len(smtp_server.received) == 2
    relayed = smtp_server.received[0].parsed()
    assert relayed["In-Reply-To"].strip() == original.message_id
    assert "髙" in str(relayed["From"])


@pytest.mark.django_db(transaction=True)
def test_the_server_refuses_a_message_over_its_size_limit_with_552(board, list_server):
    big = b"From: a@b.example\r\nSubject: big\r\n\r\n" + b"x" * 300_000 + b"\r\n"

    with (
        smtplib.SMTP("127.0.0.1", list_server, timeout=10) as client,
        pytest.raises(smtplib.SMTPException) as refused,
    ):
        client.sendmail("a@b.example", [LIST_ADDRESS], big)

    assert "552" in str(refused.value)
    assert not ListMessage.objects.exists()


def test_cp50220_sample_bytes_are_what_outlook_sends():
    # 「①」 is row 13 (0x2D21), 「髙」 the NEC-selected IBM row 92 (0x7C62).
    assert cp50220("①髙") == b"\x1b$B-!|b\x1b(B"
