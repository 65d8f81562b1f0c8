"""Test fixtures shared by every app: a small council with one person per role."""

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import DatabaseError, connection
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker

from renkei.accounts.middleware import requires_mfa
from renkei.accounts.models import Role, User
from renkei.directory.models import (
    Assignment,
    Department,
    Group,
    GroupKind,
    GroupMember,
    GroupRole,
    Membership,
    MembershipCategory,
    Organization,
    OrganizationKind,
    Person,
    Post,
)

PASSWORD = "test-password-4429"

T = TypeVar("T")

# A code typed this close to the end of its 30-second step may reach the server in the next
# step, where it no longer counts (allauth's tolerance is 0): wait for a fresh step instead.
TOTP_SAFETY_SECONDS = 5


def totp_code(secret: str) -> str:
    """Return the code an authenticator app shows now, with time left to type it in."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_SAFETY_SECONDS:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@dataclass
class Council:
    """The organizations and users of a small test council."""

    secretariat_org: Organization
    member_org: Organization
    other_org: Organization
    observer_org: Organization
    board_org: Organization
    secretariat: User
    board: User
    representative: User
    staff: User
    outsider: User
    observer: User

    def users_by_role(self) -> dict[str, User]:
        """Return each test user under a short name."""
        return {
            "secretariat": self.secretariat,
            "board": self.board,
            "representative": self.representative,
            "staff": self.staff,
            "outsider": self.outsider,
            "observer": self.observer,
        }


def make_organization(
    *,
    code: str | None,
    name: str,
    kind: str,
    prefecture_code: str = "",
    kana: str = "",
    member_since: dt.date | None = dt.date(2008, 4, 1),
    category: str = MembershipCategory.REGULAR,
) -> Organization:
    """Create an organization and, unless told otherwise, a current membership."""
    org = Organization.objects.create(
        code=code, name=name, kind=kind, prefecture_code=prefecture_code, kana=kana
    )
    if member_since:
        Membership.objects.create(organization=org, category=category, joined_on=member_since)
    return org


def make_user(
    *,
    username: str,
    name: str,
    role: str,
    organization: Organization,
    department: str = "情報政策課",
    title: str = "主任",
) -> User:
    """Create a user with a directory person in the organization."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.lg.jp",
        full_name=name,
        role=role,
    )
    dept, _ = Department.objects.get_or_create(organization=organization, name=department)
    Person.objects.create(
        name=name,
        kana="",
        email=user.email,
        phone="0123-45-6789",
        organization=organization,
        department=dept,
        title=title,
        user=user,
    )
    return user


def make_secretariat() -> tuple[Organization, User]:
    """Create the council's secretariat and its 事務局 user."""
    organization = make_organization(
        code=None,
        name="全国市町村情報管理主管課長会事務局",
        kind=OrganizationKind.SECRETARIAT,
        member_since=None,
    )
    user = make_user(
        username="jimukyoku",
        name="事務局 花子",
        role=Role.SECRETARIAT,
        organization=organization,
        department="事務局",
    )
    return organization, user


# The test council's municipalities and observer: (Council field, code, name, kind, prefecture,
# kana, membership category), created in this order after the secretariat.
_COUNCIL_ORGANIZATIONS = (
    ("member_org", "013030", "当別町", OrganizationKind.TOWN, "01", "トウベツチョウ", None),
    ("other_org", "353213", "和木町", OrganizationKind.TOWN, "35", "ワキチョウ", None),
    ("board_org", "012289", "深川市", OrganizationKind.CITY, "01", "フカガワシ", None),
    (
        "observer_org",
        None,
        "総務省",
        OrganizationKind.NATIONAL,
        "",
        "",
        MembershipCategory.OBSERVER,
    ),
)
# Its users after the secretariat's: (Council field, username, name, role, organization field,
# department and title where they differ from make_user's).
_COUNCIL_USERS = (
    ("board", "fukagawa", "深川 一郎", Role.BOARD, "board_org", {"title": "課長"}),
    (
        "representative",
        "tobetsu-kanri",
        "当別 太郎",
        Role.REPRESENTATIVE,
        "member_org",
        {"title": "課長"},
    ),
    ("staff", "tobetsu-staff", "当別 次郎", Role.STAFF, "member_org", {}),
    ("outsider", "waki-staff", "和木 三郎", Role.STAFF, "other_org", {}),
    ("observer", "soumu", "総務 四郎", Role.OBSERVER, "observer_org", {"department": "自治行政局"}),
)


def make_council() -> Council:
    """Create the test council: secretariat, two member towns, a board city and an observer."""
    secretariat_org, secretariat = make_secretariat()
    organizations = {"secretariat_org": secretariat_org}
    for field, code, name, kind, prefecture, kana, category in _COUNCIL_ORGANIZATIONS:
        organizations[field] = make_organization(
            code=code,
            name=name,
            kind=kind,
            prefecture_code=prefecture,
            kana=kana,
            category=category or MembershipCategory.REGULAR,
        )
    users = {"secretariat": secretariat}
    for field, username, name, role, organization, extra in _COUNCIL_USERS:
        users[field] = make_user(
            username=username,
            name=name,
            role=role,
            organization=organizations[organization],
            **extra,
        )
    return Council(**organizations, **users)


def make_board_group(*, council: Council) -> Group:
    """Create the 役員会 with 深川市 (the board city) sitting on it as an organization."""
    group = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    GroupMember.objects.create(
        group=group, organization=council.board_org, role=GroupRole.BOARD_MEMBER
    )
    return group


def make_assignment(*, person: Person, title: str, started_on: dt.date) -> Assignment:
    """Record the person's present organization and department as a post held since a date."""
    assignment = Assignment.of_present_post(person, title=title, started_on=started_on)
    assignment.save()
    return assignment


def make_contact(*, user: User, title: str = "情報政策課長") -> Post:
    """Make the user's directory person the 連絡窓口 (contact post holder) of their organization."""
    person = user.person
    return Post.objects.create(
        organization=person.organization, title=title, is_contact=True, holder=person
    )


def audit_insert_fails(execute, sql, params, many, context):
    """Fail the audit log's INSERT as a full disk or a lost connection would.

    Install with `connection.execute_wrapper(audit_insert_fails)`: a service that writes
    its audit row in the change's transaction then leaves nothing of the change behind.
    """
    if sql.startswith('INSERT INTO "audit_auditevent"'):
        raise DatabaseError("the audit row could not be written")
    return execute(sql, params, many, context)


# A race needs connections that really run at once: SQLite's shared in-memory test database
# locks whole tables between connections, so a race runs on PostgreSQL, as requests do in
# production.
races_on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks whole tables between connections; "
    "the race runs on PostgreSQL, as concurrent requests do in production",
)


def race(
    *, read: Callable[[], T], steps: Mapping[str, Callable[[T], object]], refused: type[Exception]
) -> dict[str, str]:
    """Run the steps at one moment, each in its own thread on its own copy; tell who won.

    Each thread reads its copy first, as each request does, then all start together; a step
    that raises `refused` is "refused", one that returns "applied". Each thread closes its
    own connection. Mark the test `races_on_postgresql`.
    """
    start = threading.Barrier(len(steps))
    outcomes: dict[str, str] = {}

    def act(name: str, step: Callable[[T], object]) -> None:
        copy = read()
        try:
            start.wait()
            step(copy)
            outcomes[name] = "applied"
        except refused:
            outcomes[name] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def task_worker_run() -> None:
    """Run a django-tasks-db worker until no task is ready, like `db_worker --batch`."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def login_client(user: User) -> Client:
    """Return a test client logged in as the user (the secretariat with its authenticator)."""
    if requires_mfa(user):
        # The secretariat must use two-factor authentication; a stored authenticator is enough.
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """Return the response's body as text."""
    return response.content.decode()


def logged_in_user_id(client: Client) -> int | None:
    """Return the ID of the user the test client's session is logged in as, if any."""
    value = client.session.get("_auth_user_id")
    return int(value) if value else None
