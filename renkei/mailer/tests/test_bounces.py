"""Bounces to VERP return paths, received by the inbound SMTP server (aiosmtpd on loopback)."""

import smtplib
import uuid

import pytest
from aiosmtpd.controller import Controller

from renkei.mailer.bounces import BounceHandler
from renkei.mailer.inbound import InboundSMTPHandler, inbound_deliver
from renkei.mailer.models import FailingAddress, OutboxMessage, Status
from renkei.mailer.verp import message_id_of, return_path
from tests.smtp import free_port

BOUNCE_ADDRESS = "bounces@renkei.example.lg.jp"


@pytest.fixture(autouse=True)
def _bounce_address(settings):
    settings.RENKEI = {**settings.RENKEI, "MAIL_BOUNCE_ADDRESS": BOUNCE_ADDRESS}


def _sent(to_email: str = "nobody@town.example.lg.jp") -> OutboxMessage:
    return OutboxMessage.objects.create(
        to_email=to_email, subject="総会のお知らせ", body_text="本文", status=Status.SENT
    )


def _dsn(*, recipient: str, action: str = "failed", status: str = "5.1.1") -> bytes:
    """A delivery status notification shaped like Postfix's (RFC 3464)."""
    return (
        "From: MAILER-DAEMON@mx.town.example.lg.jp (Mail Delivery System)\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.town.example.lg.jp\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected\r\n"
        "\r\n--B--\r\n"
    ).encode()


def test_the_return_path_names_its_message_and_cannot_be_forged(db):
    message = _sent()
    address = return_path(message_id=message.message_id)

    assert address.startswith("bounces+") and address.endswith("@renkei.example.lg.jp")
    assert message_id_of(address) == message.message_id
    forged = address.replace(message.message_id.hex, uuid.uuid4().hex)
    assert message_id_of(forged) is None
    assert message_id_of("bounces@renkei.example.lg.jp") is None


def test_a_permanent_bounce_marks_the_message_and_the_address(db):
    message = _sent()
    verp = return_path(message_id=message.message_id)

    [outcome] = inbound_deliver(
        content=_dsn(recipient=message.to_email), recipients=[verp], envelope_from=""
    )

    assert outcome.reply is None
    message.refresh_from_db()
    assert message.status == Status.BOUNCED
    assert message.bounced_at is not None
    failing = FailingAddress.objects.get()
    assert (failing.email, failing.bounce_count) == (message.to_email, 1)
    assert "Recipient address rejected" in failing.last_diagnostic


def test_a_delay_report_changes_nothing(db):
    message = _sent()

    inbound_deliver(
        content=_dsn(recipient=message.to_email, action="delayed", status="4.4.1"),
        recipients=[return_path(message_id=message.message_id)],
        envelope_from="",
    )

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert FailingAddress.objects.count() == 0


def test_a_second_bounce_counts_on_the_same_address(db):
    for _ in range(2):
        message = _sent("gone@town.example.lg.jp")
        inbound_deliver(
            content=_dsn(recipient=message.to_email),
            recipients=[return_path(message_id=message.message_id)],
            envelope_from="",
        )

    assert FailingAddress.objects.get().bounce_count == 2


def test_handlers_are_pluggable_and_tried_in_order(db, settings):
    settings.RENKEI = {
        **settings.RENKEI,
        "INBOUND_HANDLERS": [
            "renkei.mailer.tests.test_bounces.ListStub",
            "renkei.mailer.bounces.BounceHandler",
        ],
    }

    outcomes = inbound_deliver(
        content=b"Subject: hello\r\n\r\nbody\r\n",
        recipients=["board@lists.example.lg.jp", "someone@else.example"],
        envelope_from="fukagawa@example.lg.jp",
    )

    assert [o.reply for o in outcomes] == [None, "550 5.1.1 No such user here"]
    assert ListStub.taken == ["board@lists.example.lg.jp"]


class ListStub:
    """A stand-in for the mailing-list handler still to come: takes one list address."""

    taken: list[str] = []

    def accepts(self, address: str) -> bool:
        return address == "board@lists.example.lg.jp"

    def handle(self, message, *, recipient: str, envelope_from: str) -> None:
        ListStub.taken.append(recipient)


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_takes_a_bounce_over_smtp_and_refuses_unknown_addresses():
    message = _sent()
    controller = Controller(InboundSMTPHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", controller.port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.sendmail("", ["stranger@renkei.example.lg.jp"], _dsn(recipient="x@y.jp"))
            client.sendmail(
                "", [return_path(message_id=message.message_id)], _dsn(recipient=message.to_email)
            )
    finally:
        controller.stop()

    message.refresh_from_db()
    assert message.status == Status.BOUNCED
    assert FailingAddress.objects.filter(email=message.to_email).exists()


def test_bounce_handler_refuses_plain_addresses():
    assert not BounceHandler().accepts("renkei@example.lg.jp")
