"""Fixtures for the e-conference room's tests: an open board, a board private to the 役員会."""

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from renkei.directory.models import Group
from renkei.forum.models import Board, Post, Thread
from renkei.forum.services import board_create, post_create, thread_create
from renkei.testing import Council, make_board_group


@dataclass
class Room:
    """An open board with a thread of two posts, and the 役員会's private board and thread."""

    council: Council
    board: Board
    thread: Thread
    first: Post
    reply: Post
    group: Group
    private_board: Board
    private_thread: Thread
    private_post: Post


@pytest.fixture
def room(council: Council) -> Room:
    # 深川市 sits on the board as an organization; its people are members.
    group = make_board_group(council=council)
    board = board_create(
        name="情報化推進全般", description="自由な情報交換", by=council.secretariat
    )
    private_board = board_create(name="役員会の会議室", group=group, by=council.secretariat)
    thread = thread_create(
        board=board,
        title="LGWAN接続系のメール無害化について",
        body="各団体の**無害化**の方式を教えてください。\n\n入札の仕様書も参考になれば。",
        by=council.staff,
    )
    reply = post_create(
        thread=thread, body="当市では監査の指摘を受けて見直しました。", by=council.board
    )
    private_thread = thread_create(
        board=private_board,
        title="平成21年度事業計画（案）の検討",
        body="役員会資料の事前確認をお願いします。",
        by=council.board,
    )
    return Room(
        council=council,
        board=board,
        thread=thread,
        first=thread.posts.get(number=1),
        reply=reply,
        group=group,
        private_board=private_board,
        private_thread=private_thread,
        private_post=private_thread.posts.get(number=1),
    )


@dataclass
class SmtpSink:
    """Messages an aiosmtpd server on loopback received."""

    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    """Run a real SMTP server on a free loopback port and send Django's mail to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield sink
    controller.stop()
