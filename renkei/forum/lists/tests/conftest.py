"""Fixtures for the mailing lists: the 役員会's list, a list server, and client mail samples."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller

from renkei.directory.models import Group, GroupMember, GroupRole, Person
from renkei.forum.lists.models import MailingList
from renkei.forum.lists.services import list_create
from renkei.forum.lists.tests.client_mail import LIST_DOMAIN, Samples
from renkei.mailer.inbound import InboundSMTPHandler
from renkei.testing import Council, make_board_group
from tests.smtp import free_port


@pytest.fixture
def samples() -> Samples:
    return Samples()


@pytest.fixture(autouse=True)
def _list_settings(settings) -> None:
    settings.RENKEI = {
        **settings.RENKEI,
        "LIST_DOMAIN": LIST_DOMAIN,
        "MAIL_BOUNCE_ADDRESS": "bounces@renkei.example.lg.jp",
        "BASE_URL": "https://renkei.example.lg.jp",
    }


@dataclass
class Board:
    """The 役員会 (深川市 as an organization, and a person without an account) and its list."""

    council: Council
    group: Group
    mailing_list: MailingList
    auditor: Person


@pytest.fixture
def board(council: Council) -> Board:
    group = make_board_group(council=council)
    auditor = Person.objects.create(
        name="監事 太郎", email="kanji@audit.example.lg.jp", organization=council.other_org
    )
    GroupMember.objects.create(group=group, person=auditor, role=GroupRole.AUDITOR)
    mailing_list = list_create(
        group=group, local_part="yakuin", moderators=[council.secretariat], by=council.secretariat
    )
    return Board(council=council, group=group, mailing_list=mailing_list, auditor=auditor)


@pytest.fixture
def list_server() -> Iterator[Callable[[], int]]:
    """Run the project's inbound SMTP server (aiosmtpd) on loopback; yield its port."""
    controller = Controller(
        InboundSMTPHandler(), hostname="127.0.0.1", port=free_port(), data_size_limit=200_000
    )
    controller.start()
    yield controller.port
    controller.stop()
