"""A real SMTP server (aiosmtpd) on localhost: fixtures for every test that sends mail (a plugin)."""

import email
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def parsed(self) -> EmailMessage:
        """Parse the raw bytes the way a mail client would."""
        return email.message_from_bytes(self.content, policy=default_policy)


@dataclass
class RecordingHandler:
    """Accept mail and keep it; answer with the queued replies first, if any.

    `replies` holds SMTP answers such as "451 4.3.0 Try later", one per attempt, given at the
    `stage` ("RCPT" or "DATA") before the server goes back to accepting.
    """

    received: list[Received] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    stage: str = "RCPT"
    sessions: int = 0  # SMTP sessions opened (EHLO greetings)

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list
    ) -> list:
        self.sessions += 1
        session.host_name = hostname  # what aiosmtpd does itself when no hook is set
        return responses

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if self.stage == "RCPT" and self.replies:
            return self.replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.stage == "DATA" and self.replies:
            return self.replies.pop(0)
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.original_content,
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    """Return a localhost port nothing listens on (at least for now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_settings_apply(settings, *, port: int) -> None:
    """Point Django's SMTP backend at localhost:port, without TLS or login."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings) -> RecordingHandler:
    """Run an SMTP server on a free port and send Django's mail to it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings_apply(settings, port=controller.port)
    yield handler
    controller.stop()


@pytest.fixture
def smtp_down(settings) -> int:
    """Send Django's mail to a port where nothing listens."""
    port = free_port()
    smtp_settings_apply(settings, port=port)
    return port


@pytest.fixture
def db_task_backend(settings) -> None:
    """Use the real django-tasks-db backend instead of running tasks inline."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
