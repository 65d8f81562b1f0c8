"""Run the inbound SMTP server: bounces to VERP addresses and group mailing-list mail.

Behind Postfix (recommended): relay the bounce and list domains to 127.0.0.1:8025, e.g.
`transport_maps` `bounces.example.lg.jp smtp:[127.0.0.1]:8025`. See docs/operations.md.
"""

import signal
import threading

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand

from renkei.mailer.inbound import DEFAULT_MAX_MESSAGE_BYTES, InboundSMTPHandler


class Command(BaseCommand):
    help = "受信用の SMTP サーバー（エラー返送とメーリングリストの受付）を起動します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=settings.RENKEI.get("MAILSERVER_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=settings.RENKEI.get("MAILSERVER_PORT", 8025)
        )
        parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_MESSAGE_BYTES)

    def handle(self, *args, host: str, port: int, max_bytes: int, **options) -> None:
        controller = Controller(
            InboundSMTPHandler(),
            hostname=host,
            port=port,
            data_size_limit=max_bytes,
            server_hostname=settings.RENKEI.get("MAILSERVER_NAME") or None,
        )
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        controller.start()
        self.stdout.write(f"mailserver listening on {host}:{port}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
