"""Directory pages through the real URLs: who may open what, searches, staff management and
the secretariat's desk."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action, AuditEvent
from renkei.directory.models import (
    Assignment,
    Group,
    GroupKind,
    GroupMember,
    GroupRole,
    Invitation,
    Organization,
    OrganizationKind,
    Person,
    Post,
)
from renkei.directory.views.lists import PAGE_SIZE
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, Council, make_organization, make_user

# Access table -------------------------------------------------------------------------------

# Every URL of these modules must be in ACCESS; top-level patterns (home, invitations) too.
COVERED_URLCONFS = ("renkei.directory.urls", "renkei.portal.urls", "renkei.accounts.urls")

ROLES = ("anonymous", "outsider", "observer", "staff", "representative", "board", "secretariat")

LOGIN = "login"  # anonymous visitors are sent to the login page


@dataclass(frozen=True)
class Access:
    """The expected answer of one URL to each role, in the order of ROLES."""

    method: str
    expected: tuple[int | str, ...]
    args: Callable[[SimpleNamespace], tuple] = lambda t: ()
    data: dict[str, str] | None = None

    def for_role(self, role: str) -> int | str:
        return dict(zip(ROLES, self.expected, strict=True))[role]


def everyone(args=lambda t: ()) -> Access:
    """Any logged-in user may open the page."""
    return Access("get", (LOGIN, 200, 200, 200, 200, 200, 200), args)


def members(args=lambda t: ()) -> Access:
    """Members may open the page; observers see no contact details and are refused."""
    return Access("get", (LOGIN, 200, 403, 200, 200, 200, 200), args)


def own_managers(method: str, args, data=None) -> Access:
    """The organization's representative and the secretariat only (the outsider is refused)."""
    ok = 200 if method == "get" else 302
    return Access(method, (LOGIN, 403, 403, 403, ok, 403, ok), args, data)


def secretariat(method: str = "get", args=lambda t: (), data=None) -> Access:
    """The secretariat only."""
    ok = 200 if method == "get" else 302
    return Access(method, (LOGIN, 403, 403, 403, 403, 403, ok), args, data)


ACCESS: dict[str, Access] = {
    "home": everyone(),
    "notifications": everyone(),
    "healthz": Access("get", (200,) * len(ROLES)),
    # The admin's login page only redirects to the site's login.
    "admin_login_redirect": Access("get", (302,) * len(ROLES)),
    "invitation_accept": Access("get", (200,) * len(ROLES), lambda t: (t.invitation.token,)),
    "directory:organization_list": everyone(),
    "directory:organization_detail": everyone(lambda t: (t.org.pk,)),
    "directory:organization_staff_manage": own_managers("get", lambda t: (t.org.pk,)),
    "directory:organization_notification": own_managers("get", lambda t: (t.org.pk,)),
    "directory:user_set_active": own_managers(
        "post", lambda t: (t.staff_user.pk,), {"active": "1"}
    ),
    "directory:invitation_revoke": own_managers("post", lambda t: (t.invitation.pk,)),
    "directory:user_deactivate": own_managers("get", lambda t: (t.staff_user.pk,)),
    "directory:organization_contacts": own_managers("get", lambda t: (t.org.pk,)),
    "directory:person_edit": own_managers("get", lambda t: (t.person.pk,)),
    "directory:person_reassign": own_managers("get", lambda t: (t.person.pk,)),
    "directory:person_leave": own_managers("get", lambda t: (t.person.pk,)),
    "directory:profile": everyone(),
    "directory:email_change_confirm": Access(
        "get", (LOGIN, 400, 400, 400, 400, 400, 400), lambda t: ("not-a-token",)
    ),
    "directory:person_list": members(),
    "directory:person_detail": members(lambda t: (t.person.pk,)),
    "directory:membership_status": everyone(),
    "directory:manage_index": secretariat(),
    "directory:manage_organization_new": secretariat(),
    "directory:manage_organization_edit": secretariat(args=lambda t: (t.org.pk,)),
    "directory:manage_membership": secretariat(args=lambda t: (t.org.pk,)),
    "directory:manage_person_new": secretariat(args=lambda t: (t.org.pk,)),
    "directory:manage_person_transfer": secretariat(args=lambda t: (t.person.pk,)),
    "directory:manage_user_role": secretariat(
        "post", lambda t: (t.person.pk,), {"role": Role.STAFF}
    ),
    "directory:manage_person_group": secretariat("post", lambda t: (t.person.pk,)),
    "directory:manage_groups": secretariat(),
    "directory:manage_group": secretariat(args=lambda t: (t.group.pk,)),
    "directory:manage_invitations": secretariat(),
    "portal:audit_events": secretariat(),
    "portal:audit_export": secretariat(),
    "portal:outbox": secretariat(),
    "portal:login_waits": secretariat(),
    "accounts:settings": everyone(),
}


def _pattern_names(patterns: list, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _pattern_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def covered_url_names() -> set[str]:
    """Return the names of the URLs the access table must cover."""
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_name, "__name__", pattern.urlconf_name)
            if module in COVERED_URLCONFS:
                names |= _pattern_names([pattern])
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_access_table_covers_every_url():
    assert set(ACCESS) == covered_url_names()


@pytest.fixture
def targets(council: Council) -> SimpleNamespace:
    """Objects the URLs of the access table point at, all belonging to 当別町."""
    invitation = Invitation.objects.create(
        organization=council.member_org,
        name="当別 招待",
        email="shotai@example.lg.jp",
        role=Role.STAFF,
        invited_by=council.representative,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return SimpleNamespace(
        org=council.member_org,
        staff_user=council.staff,
        person=council.staff.person,
        invitation=invitation,
        group=Group.objects.create(name="役員会", kind=GroupKind.BOARD),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_role_gets_the_expected_answer_from_every_url(name, role, council, targets, client_as):
    access = ACCESS[name]
    user = None if role == "anonymous" else council.users_by_role()[role]
    url = reverse(name, args=access.args(targets))
    client = client_as(user)
    response = getattr(client, access.method)(url, access.data or {})
    expected = access.for_role(role)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a.method == "post"))
def test_post_only_views_refuse_get(name, council, targets, client_as):
    url = reverse(name, args=ACCESS[name].args(targets))
    assert client_as(council.secretariat).get(url).status_code == 405


def test_outsider_cannot_manage_other_organizations_staff(council, targets, client_as):
    outsider = client_as(council.outsider)
    org = council.member_org
    assert (
        outsider.get(reverse("directory:organization_staff_manage", args=[org.pk])).status_code
        == 403
    )
    response = outsider.post(
        reverse("directory:user_set_active", args=[council.staff.pk]),
        {"active": "0", "confirm": "1"},
    )
    assert response.status_code == 403
    response = outsider.post(reverse("directory:invitation_revoke", args=[targets.invitation.pk]))
    assert response.status_code == 403
    council.staff.refresh_from_db()
    targets.invitation.refresh_from_db()
    assert council.staff.is_active
    assert targets.invitation.revoked_at is None


# Organization list and pages ----------------------------------------------------------------


def _listed_names(response) -> list[str]:
    return [org.name for org in response.context["page"].object_list]


@pytest.fixture
def staff_client(council, client_as) -> Client:
    return client_as(council.staff)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "深川"}, ["深川市"]),
        ({"q": "ふかがわ"}, ["深川市"]),
        ({"q": "ﾌｶｶﾞﾜ"}, ["深川市"]),
        ({"q": "0122"}, ["深川市"]),
        ({"q": "０１３"}, ["当別町"]),
        ({"q": "01"}, ["深川市", "当別町"]),
        ({"prefecture": "01"}, ["深川市", "当別町"]),
        ({"kind": OrganizationKind.TOWN}, ["当別町", "和木町"]),
        ({"prefecture": "35", "kind": OrganizationKind.TOWN}, ["和木町"]),
    ],
)
def test_organization_list_search_and_filters(query, expected, staff_client):
    response = staff_client.get(reverse("directory:organization_list"), query)
    assert response.status_code == 200
    assert _listed_names(response) == expected


def test_organization_list_filters_members_and_nonmembers(council, staff_client):
    make_organization(
        code="012246",
        name="千歳市",
        kind=OrganizationKind.CITY,
        prefecture_code="01",
        member_since=None,
    )
    url = reverse("directory:organization_list")
    members = _listed_names(staff_client.get(url, {"prefecture": "01", "membership": "member"}))
    others = _listed_names(staff_client.get(url, {"prefecture": "01", "membership": "nonmember"}))
    assert members == ["深川市", "当別町"]
    assert others == ["千歳市"]


def test_organization_list_is_paginated_and_keeps_the_filters(council, staff_client):
    total = PAGE_SIZE + 30
    for i in range(total):
        make_organization(
            code=f"47{i:04d}",
            name=f"試験村{i:03d}",
            kind=OrganizationKind.VILLAGE,
            prefecture_code="47",
        )
    url = reverse("directory:organization_list")
    first = staff_client.get(url, {"prefecture": "47"})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    pages = -(-total // PAGE_SIZE)
    assert f"1 / {pages} ページ（全{total}件）" in first.content.decode()
    assert '<a href="?prefecture=47&amp;page=2">次のページ</a>' in first.content.decode()
    last = staff_client.get(url, {"prefecture": "47", "page": str(pages)})
    expected = [f"試験村{i:03d}" for i in range((pages - 1) * PAGE_SIZE, total)]
    assert _listed_names(last) == expected


def test_observer_sees_no_staff_contacts_on_an_organization_page(council, client_as):
    url = reverse("directory:organization_detail", args=[council.member_org.pk])
    observer_page = client_as(council.observer).get(url).content.decode()
    staff_page = client_as(council.staff).get(url).content.decode()
    assert "職員の連絡先は会員のみが閲覧できます。" in observer_page
    assert council.representative.email not in observer_page
    assert "0123-45-6789" not in observer_page
    assert council.representative.email in staff_page
    assert "当別 太郎" in staff_page


def test_organization_page_shows_its_staff_a_page_at_a_time(council, staff_client):
    _add_colleagues(council.member_org, 60, start=0)
    url = reverse("directory:organization_detail", args=[council.member_org.pk])
    total = council.member_org.people.count()

    first = staff_client.get(url)
    last = staff_client.get(url, {"page": "2"})

    assert len(first.context["page"].object_list) == 50
    assert len(last.context["page"].object_list) == total - 50
    assert '<a href="?page=2">次のページ</a>' in first.content.decode()
    assert f"2 / 2 ページ（全{total}件）" in last.content.decode()


def test_organization_page_shows_vacant_posts_to_members(council, staff_client):
    Post.objects.create(organization=council.member_org, title="情報政策課長", is_contact=True)
    page = staff_client.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert "情報政策課長" in page
    assert "空席" in page


def test_people_search_finds_colleagues_by_kana_and_organization(council, staff_client):
    Person.objects.filter(user=council.outsider).update(kana="ワキ サブロウ")
    url = reverse("directory:person_list")
    assert staff_client.get(url).context["page"] is None
    by_kana = staff_client.get(url, {"q": "わき"}).context["page"].object_list
    by_org = staff_client.get(url, {"q": "当別町"}).context["page"].object_list
    assert [p.name for p in by_kana] == ["和木 三郎"]
    assert {p.name for p in by_org} == {"当別 太郎", "当別 次郎"}


def test_people_search_with_no_result_says_none_were_found(council, staff_client):
    response = staff_client.get(reverse("directory:person_list"), {"q": "存在しない名前"})

    page = response.content.decode()
    assert "該当する職員は見つかりませんでした（0件）" in page
    assert "入力して検索してください" not in page


def test_people_search_finds_a_name_typed_without_or_with_a_full_width_space(council, staff_client):
    url = reverse("directory:person_list")
    for q in ("和木三郎", "和木\u3000三郎", "三郎 和木"):
        found = staff_client.get(url, {"q": q}).context["page"].object_list
        assert [p.name for p in found] == ["和木 三郎"], q


def test_organization_search_with_no_result_says_none_were_found(council, staff_client):
    response = staff_client.get(reverse("directory:organization_list"), {"q": "存在しない村"})

    assert "該当する団体は見つかりませんでした（0件）" in response.content.decode()


# Query counts -------------------------------------------------------------------------------


def _add_organizations(count: int, *, start: int) -> None:
    """Add member towns, each with two staff accounts."""
    for i in range(start, start + count):
        org = make_organization(
            code=f"47{i:04d}", name=f"試験町{i}", kind=OrganizationKind.TOWN, prefecture_code="47"
        )
        for j in range(2):
            make_user(
                username=f"shiken-{i}-{j}",
                name=f"試験 {i}-{j}",
                role=Role.STAFF,
                organization=org,
            )


def _add_colleagues(organization: Organization, count: int, *, start: int) -> None:
    for i in range(start, start + count):
        make_user(
            username=f"colleague-{i}", name=f"同僚 {i}", role=Role.STAFF, organization=organization
        )


def _count_queries(client: Client, url: str, data: dict | None = None) -> int:
    # A request just before renews the session if due (at most once a minute), so the
    # measured request never includes that write.
    client.get(url, data or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


PAGES_FOR_QUERY_COUNTS = {
    "home": (lambda c: reverse("home"), {}),
    "organization_list": (lambda c: reverse("directory:organization_list"), {}),
    "organization_detail": (
        lambda c: reverse("directory:organization_detail", args=[c.member_org.pk]),
        {},
    ),
    "people_search": (lambda c: reverse("directory:person_list"), {"q": "情報政策課"}),
    "membership_status": (lambda c: reverse("directory:membership_status"), {"on": "R8.4.1"}),
}


@pytest.mark.parametrize("page", sorted(PAGES_FOR_QUERY_COUNTS))
@pytest.mark.parametrize("viewer", ["staff", "secretariat"])
def test_page_query_count_does_not_grow_with_the_directory(page, viewer, council, client_as):
    make_url, data = PAGES_FOR_QUERY_COUNTS[page]
    client = client_as(council.users_by_role()[viewer])
    url = make_url(council)
    _add_organizations(5, start=0)
    _add_colleagues(council.member_org, 5, start=0)
    small = _count_queries(client, url, data)
    _add_organizations(55, start=5)
    _add_colleagues(council.member_org, 55, start=5)
    large = _count_queries(client, url, data)
    assert large == small


# Staff management by the representative ------------------------------------------------------

NEW_PASSWORD = "kyoto-sakura-2026"


def _staff_manage_url(organization: Organization) -> str:
    return reverse("directory:organization_staff_manage", args=[organization.pk])


def _login_page(client: Client, username: str, password: str):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _invite(client: Client, organization: Organization, **fields: str):
    data = {"name": "当別 五郎", "email": "goro@example.lg.jp", "role": Role.STAFF, **fields}
    return client.post(_staff_manage_url(organization), data)


def _invitation_path(message: OutboxMessage) -> str:
    url = re.search(r"https?://\S+/invitations/\S+/", message.body_text)
    assert url is not None, message.body_text
    return urlsplit(url.group()).path


def _accept(client: Client, path: str, username: str = "tobetsu-goro"):
    return client.post(
        path,
        {
            "username": username,
            "kana": "トウベツ ゴロウ",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_representative_invites_a_colleague_who_accepts_and_logs_in(council, client_as):
    representative = client_as(council.representative)
    response = _invite(representative, council.member_org)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="goro@example.lg.jp")
    assert invitation.organization == council.member_org
    message = OutboxMessage.objects.get(to_email="goro@example.lg.jp")
    assert message.to_name == "当別 五郎"
    assert message.topic == "invitation"
    assert "当別町" in message.subject
    path = _invitation_path(message)
    assert path == reverse("invitation_accept", args=[invitation.token])
    assert AuditEvent.objects.filter(
        action=Action.INVITATION_SENT, actor=council.representative
    ).exists()

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "当別町 の 当別 五郎 さん" in page.content.decode()
    response = _accept(visitor, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")

    user = User.objects.get(username="tobetsu-goro")
    assert (user.role, user.email, user.full_name) == (
        Role.STAFF,
        "goro@example.lg.jp",
        "当別 五郎",
    )
    assert user.person.organization == council.member_org
    assert user.person.assignments.get().organization == council.member_org
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.person == user.person

    assert _login_page(visitor, "tobetsu-goro", NEW_PASSWORD).status_code == 302
    home = visitor.get("/")
    assert home.status_code == 200
    assert "当別 五郎" in home.content.decode()


def test_used_invitation_cannot_be_accepted_twice(council, client_as):
    _invite(client_as(council.representative), council.member_org)
    path = _invitation_path(OutboxMessage.objects.get())
    _accept(Client(), path)
    page = _accept(Client(), path, username="someone-else")
    assert "この招待は有効期限が切れているか、すでに使用されています。" in page.content.decode()
    assert not User.objects.filter(username="someone-else").exists()


def test_expired_invitation_is_refused(council, client_as):
    _invite(client_as(council.representative), council.member_org)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    path = _invitation_path(OutboxMessage.objects.get())
    page = Client().get(path).content.decode()
    assert "この招待は有効期限が切れているか、すでに使用されています。" in page
    response = _accept(Client(), path)
    assert response.status_code == 200
    assert "この招待は有効期限が切れているか、すでに使用されています。" in response.content.decode()
    assert not User.objects.filter(username="tobetsu-goro").exists()


def test_revoked_invitation_is_refused(council, client_as):
    representative = client_as(council.representative)
    _invite(representative, council.member_org)
    invitation = Invitation.objects.get()
    response = representative.post(reverse("directory:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action=Action.INVITATION_REVOKED).exists()
    response = _accept(Client(), _invitation_path(OutboxMessage.objects.get()))
    assert "この招待は有効期限が切れているか、すでに使用されています。" in response.content.decode()
    assert not User.objects.filter(username="tobetsu-goro").exists()


def test_invited_user_id_is_case_insensitive_at_login(council, client_as):
    _invite(client_as(council.representative), council.member_org)
    visitor = Client()
    _accept(visitor, _invitation_path(OutboxMessage.objects.get()), username="Tobetsu-Goro")
    assert User.objects.filter(username="tobetsu-goro").exists()
    _login_page(visitor, "TOBETSU-GORO", NEW_PASSWORD)
    assert _logged_in(visitor)


def test_unknown_invitation_token_is_not_found(council):
    assert Client().get(reverse("invitation_accept", args=["no-such-token"])).status_code == 404


def test_invitation_accept_refuses_a_user_id_in_use(council, client_as):
    _invite(client_as(council.representative), council.member_org)
    response = _accept(Client(), _invitation_path(OutboxMessage.objects.get()), "tobetsu-staff")
    assert response.status_code == 200
    assert "ユーザーID「tobetsu-staff」はすでに使われています。" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_representative_deactivates_and_reactivates_a_staff_account(council, client_as):
    representative = client_as(council.representative)
    staff_session = client_as(council.staff)
    url = reverse("directory:user_set_active", args=[council.staff.pk])

    response = representative.post(url, {"active": "0", "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == _staff_manage_url(council.member_org)
    council.staff.refresh_from_db()
    assert not council.staff.is_active
    assert AuditEvent.objects.filter(
        action=Action.USER_DEACTIVATED,
        actor=council.representative,
        target_id=str(council.staff.pk),
    ).exists()
    # The open session ends and the password no longer opens a new one.
    assert staff_session.get("/")["Location"].startswith("/accounts/login/")
    visitor = Client()
    _login_page(visitor, "tobetsu-staff", PASSWORD)
    assert not _logged_in(visitor)
    page = representative.get(_staff_manage_url(council.member_org)).content.decode()
    assert "利用停止中" in page

    representative.post(url, {"active": "1"})
    council.staff.refresh_from_db()
    assert council.staff.is_active
    assert AuditEvent.objects.filter(action=Action.USER_REACTIVATED).exists()
    _login_page(visitor, "tobetsu-staff", PASSWORD)
    assert _logged_in(visitor)


def test_representative_cannot_deactivate_himself(council, client_as):
    representative = client_as(council.representative)
    page = representative.get(_staff_manage_url(council.member_org)).content.decode()
    assert reverse("directory:user_deactivate", args=[council.staff.pk]) in page
    assert reverse("directory:user_deactivate", args=[council.representative.pk]) not in page
    url = reverse("directory:user_set_active", args=[council.representative.pk])
    assert representative.post(url, {"active": "0", "confirm": "1"}).status_code == 403
    council.representative.refresh_from_db()
    assert council.representative.is_active


def test_secretariat_cannot_deactivate_itself(council, client_as):
    secretariat = client_as(council.secretariat)
    url = reverse("directory:user_set_active", args=[council.secretariat.pk])
    response = secretariat.post(url, {"active": "0", "confirm": "1"}, follow=True)
    assert "自分自身のアカウントは停止できません。" in response.content.decode()
    council.secretariat.refresh_from_db()
    assert council.secretariat.is_active


def test_representative_can_only_invite_staff_or_representatives(council, client_as):
    representative = client_as(council.representative)
    page = representative.get(_staff_manage_url(council.member_org))
    choices = [value for value, _ in page.context["form"].fields["role"].choices]
    assert choices == [Role.STAFF, Role.REPRESENTATIVE]
    for role in (Role.SECRETARIAT, Role.BOARD, Role.OBSERVER):
        response = _invite(representative, council.member_org, role=role)
        assert response.status_code == 200
        assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_representative_cannot_touch_another_organizations_users(council, client_as):
    representative = client_as(council.representative)
    response = representative.post(
        reverse("directory:user_set_active", args=[council.outsider.pk]),
        {"active": "0", "confirm": "1"},
    )
    assert response.status_code == 403
    council.outsider.refresh_from_db()
    assert council.outsider.is_active
    assert representative.get(_staff_manage_url(council.other_org)).status_code == 403
    invitation = Invitation.objects.create(
        organization=council.other_org,
        name="和木 招待",
        email="waki-new@example.lg.jp",
        invited_by=council.secretariat,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    response = representative.post(reverse("directory:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_representative_cannot_manage_a_board_member_of_his_organization(council, client_as):
    board_here = make_user(
        username="tobetsu-board", name="当別 役員", role=Role.BOARD, organization=council.member_org
    )
    response = client_as(council.representative).post(
        reverse("directory:user_set_active", args=[board_here.pk]),
        {"active": "0", "confirm": "1"},
    )
    assert response.status_code == 403


def test_inviting_an_address_already_in_use_is_refused(council, client_as):
    response = _invite(
        client_as(council.representative), council.member_org, email="TOBETSU-STAFF@example.lg.jp"
    )
    assert response.status_code == 200
    assert "すでに利用者として登録されています" in response.content.decode()
    assert not Invitation.objects.exists()


# The secretariat's desk ---------------------------------------------------------------------


@pytest.fixture
def secretariat_client(council, client_as) -> Client:
    return client_as(council.secretariat)


def _membership_url(organization: Organization) -> str:
    return reverse("directory:manage_membership", args=[organization.pk])


def test_secretariat_registers_joining_and_leaving_with_wareki_dates(council, secretariat_client):
    chitose = make_organization(
        code="012246", name="千歳市", kind=OrganizationKind.CITY, member_since=None
    )
    url = _membership_url(chitose)
    response = secretariat_client.post(
        url, {"action": "start", "start-category": "regular", "start-joined_on": "R8.4.1"}
    )
    assert response.status_code == 302
    membership = chitose.memberships.get()
    assert membership.joined_on == dt.date(2026, 4, 1)
    assert membership.left_on is None

    response = secretariat_client.post(url, {"action": "end", "end-left_on": "令和9年4月1日"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2027, 4, 1)
    page = secretariat_client.get(url).content.decode()
    assert "令和8年4月1日" in page
    assert "令和9年4月1日" in page
    assert (
        AuditEvent.objects.filter(
            action=Action.MEMBERSHIP_CHANGED, target_id=str(chitose.pk)
        ).count()
        == 2
    )


def test_leaving_before_joining_is_refused_in_japanese(council, secretariat_client):
    url = _membership_url(council.member_org)
    response = secretariat_client.post(url, {"action": "end", "end-left_on": "H20.3.31"})
    assert response.status_code == 200
    assert "退会日は入会日より後の日付にしてください。" in response.content.decode()
    assert council.member_org.memberships.get().left_on is None


def test_joining_twice_is_refused_in_japanese(council, secretariat_client):
    url = _membership_url(council.member_org)
    response = secretariat_client.post(
        url, {"action": "start", "start-category": "regular", "start-joined_on": "R8.4.1"}
    )
    content = response.content.decode()
    assert "当別町 はすでに会員です（入会日 平成20年4月1日）。" in content
    assert council.member_org.memberships.count() == 1


def test_an_impossible_wareki_date_is_a_form_error(council, secretariat_client):
    response = secretariat_client.post(
        _membership_url(council.member_org), {"action": "end", "end-left_on": "R8.2.30"}
    )
    assert response.status_code == 200
    assert "令和8年2月30日 は存在しない日付です。" in response.content.decode()


def test_secretariat_abolishes_an_organization_with_its_successor(council, secretariat_client):
    response = secretariat_client.post(
        _membership_url(council.member_org),
        {"action": "abolish", "abolish-abolished_on": "R8.4.1", "abolish-successor": "012289"},
    )
    assert response.status_code == 302
    council.member_org.refresh_from_db()
    assert council.member_org.abolished_on == dt.date(2026, 4, 1)
    assert council.member_org.successor == council.board_org
    assert council.member_org.memberships.get().left_on == dt.date(2026, 4, 1)
    event = AuditEvent.objects.get(action=Action.CHANGED, target_id=str(council.member_org.pk))
    assert (event.actor, event.ip_address) == (council.secretariat, "127.0.0.1")
    page = secretariat_client.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert "承継団体" in page
    assert "深川市" in page
    successor_page = secretariat_client.get(
        reverse("directory:organization_detail", args=[council.board_org.pk])
    ).content.decode()
    assert "旧団体" in successor_page
    assert "当別町" in successor_page
    listed = secretariat_client.get(reverse("directory:organization_list"), {"q": "当別"})
    assert "廃止" in listed.content.decode()


def test_abolishing_with_an_unknown_successor_is_a_form_error(council, secretariat_client):
    response = secretariat_client.post(
        _membership_url(council.member_org),
        {"action": "abolish", "abolish-abolished_on": "R8.4.1", "abolish-successor": "架空市"},
    )
    assert response.status_code == 200
    assert "「架空市」という団体が見つかりません。" in response.content.decode()
    council.member_org.refresh_from_db()
    assert council.member_org.abolished_on is None


ASSOCIATION = {
    "name": "石狩東部広域水道企業団",
    "kana": "イシカリトウブコウイキスイドウキギョウダン",
    "kind": OrganizationKind.ASSOCIATION,
    "code": "",
    "prefecture_code": "01",
    "population": "",
}


def test_secretariat_enters_an_association_by_hand(council, secretariat_client):
    url = reverse("directory:manage_organization_new")
    kinds = [v for v, _ in secretariat_client.get(url).context["form"].fields["kind"].choices]
    assert OrganizationKind.CITY not in kinds
    assert OrganizationKind.ASSOCIATION in kinds
    response = secretariat_client.post(url, ASSOCIATION)
    assert response.status_code == 302
    association = Organization.objects.get(name="石狩東部広域水道企業団")
    assert response["Location"] == reverse("directory:organization_detail", args=[association.pk])
    assert (association.kind, association.code, association.prefecture_code) == (
        OrganizationKind.ASSOCIATION,
        None,
        "01",
    )
    # A second organization without a code does not collide with the first.
    response = secretariat_client.post(url, {**ASSOCIATION, "name": "北空知衛生センター組合"})
    assert response.status_code == 302


def test_hand_entered_kana_is_stored_in_katakana_and_found_in_hiragana(council, secretariat_client):
    typed = {**ASSOCIATION, "kana": "いしかりとうぶこういきすいどうきぎょうだん"}
    secretariat_client.post(reverse("directory:manage_organization_new"), typed)
    association = Organization.objects.get(name=ASSOCIATION["name"])
    assert association.kana == ASSOCIATION["kana"]
    found = secretariat_client.get(reverse("directory:organization_list"), {"q": "いしかり"})
    assert _listed_names(found) == [ASSOCIATION["name"]]


def test_a_wrong_check_digit_is_a_clear_error(council, secretariat_client):
    response = secretariat_client.post(
        reverse("directory:manage_organization_new"), {**ASSOCIATION, "code": "018113"}
    )
    assert response.status_code == 200
    assert "団体コード 018113 の検査数字が正しくありません（正しくは 018112）。" in (
        response.content.decode()
    )
    assert not Organization.objects.filter(name=ASSOCIATION["name"]).exists()


def test_full_width_code_is_accepted(council, secretariat_client):
    response = secretariat_client.post(
        reverse("directory:manage_organization_new"), {**ASSOCIATION, "code": "０１８１３９"}
    )
    assert response.status_code == 302
    assert Organization.objects.get(name=ASSOCIATION["name"]).code == "018139"


def test_listed_organization_keeps_its_official_name(council, secretariat_client):
    url = reverse("directory:manage_organization_edit", args=[council.member_org.pk])
    response = secretariat_client.post(
        url, {"name": "偽当別町", "kind": "village", "code": "999999", "population": "15000"}
    )
    assert response.status_code == 302
    council.member_org.refresh_from_db()
    assert council.member_org.name == "当別町"
    assert council.member_org.code == "013030"
    assert council.member_org.population == 15000


def test_secretariat_adds_a_person_and_transfers_them(council, secretariat_client):
    response = secretariat_client.post(
        reverse("directory:manage_person_new", args=[council.member_org.pk]),
        {
            "name": "当別 六子",
            "kana": "トウベツ ムツコ",
            "department": "総務課",
            "title": "係長",
            "email": "mutsuko@example.lg.jp",
            "phone": "0133-23-0000",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="当別 六子")
    assert response["Location"] == reverse("directory:person_detail", args=[person.pk])
    assert person.department.name == "総務課"
    first = person.assignments.get()
    assert first.ended_on is None
    Assignment.objects.filter(pk=first.pk).update(started_on=dt.date(2024, 4, 1))
    post = Post.objects.create(
        organization=council.member_org, title="情報化推進員", holder=person, is_contact=True
    )

    response = secretariat_client.post(
        reverse("directory:manage_person_transfer", args=[person.pk]),
        {"organization": "深川市", "department": "企画課", "title": "主査", "on": "R8.4.1"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organization == council.board_org
    assert (person.department.name, person.title) == ("企画課", "主査")
    history = list(person.assignments.order_by("started_on"))
    assert [(a.organization.name, a.started_on, a.ended_on) for a in history] == [
        ("当別町", dt.date(2024, 4, 1), dt.date(2026, 4, 1)),
        ("深川市", dt.date(2026, 4, 1), None),
    ]
    post.refresh_from_db()
    assert post.holder is None
    assert AuditEvent.objects.filter(
        action=Action.PERSON_TRANSFERRED, target_id=str(person.pk)
    ).exists()
    page = secretariat_client.get(reverse("directory:person_detail", args=[person.pk]))
    content = page.content.decode()
    assert "当別町" in content
    assert "令和8年4月1日" in content
    assert "在任中" in content


def test_transfer_before_the_current_post_began_is_refused(council, secretariat_client):
    person = Person.objects.get(user=council.staff)
    Assignment.objects.create(
        person=person, organization=council.member_org, started_on=dt.date(2026, 4, 1)
    )
    response = secretariat_client.post(
        reverse("directory:manage_person_transfer", args=[person.pk]),
        {"organization": "012289", "department": "", "title": "", "on": "R8.3.1"},
    )
    assert response.status_code == 200
    assert "異動日は現在の着任日より後の日付にしてください。" in response.content.decode()
    person.refresh_from_db()
    assert person.organization == council.member_org


def test_role_change_is_recorded_in_the_audit_log(council, secretariat_client):
    person = Person.objects.get(user=council.staff)
    response = secretariat_client.post(
        reverse("directory:manage_user_role", args=[person.pk]), {"role": Role.REPRESENTATIVE}
    )
    assert response.status_code == 302
    council.staff.refresh_from_db()
    assert council.staff.role == Role.REPRESENTATIVE
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.actor == council.secretariat
    assert event.target_id == str(council.staff.pk)
    assert event.detail == {"from": Role.STAFF, "to": Role.REPRESENTATIVE}


def test_secretariat_cannot_change_its_own_role(council, secretariat_client):
    person = Person.objects.get(user=council.secretariat)
    response = secretariat_client.post(
        reverse("directory:manage_user_role", args=[person.pk]), {"role": Role.STAFF}, follow=True
    )
    assert "自分自身の権限は変更できません。" in response.content.decode()
    council.secretariat.refresh_from_db()
    assert council.secretariat.role == Role.SECRETARIAT


def test_secretariat_runs_a_group(council, secretariat_client):
    response = secretariat_client.post(
        reverse("directory:manage_groups"),
        {"name": "令和8年度役員会", "kind": GroupKind.BOARD, "description": "", "is_active": "on"},
    )
    assert response.status_code == 302
    group = Group.objects.get(name="令和8年度役員会")
    group_url = reverse("directory:manage_group", args=[group.pk])
    assert response["Location"] == group_url

    response = secretariat_client.post(
        group_url,
        {
            "organization": "深川市",
            "role": GroupRole.MEMBER,
            "term_start": "R8.4.1",
            "term_end": "R10.3.31",
        },
    )
    assert response.status_code == 302
    by_org = group.members.get(organization=council.board_org)
    assert (by_org.term_start, by_org.term_end) == (dt.date(2026, 4, 1), dt.date(2028, 3, 31))

    person = Person.objects.get(user=council.board)
    response = secretariat_client.post(
        reverse("directory:manage_person_group", args=[person.pk]),
        {"group": str(group.pk), "role": GroupRole.CHAIR, "term_start": "R8.4.1"},
    )
    assert response.status_code == 302
    chair = group.members.get(person=person)
    assert chair.role == GroupRole.CHAIR
    person_page = secretariat_client.get(reverse("directory:person_detail", args=[person.pk]))
    assert "令和8年度役員会：会長" in person_page.content.decode()
    group_page = secretariat_client.get(group_url).content.decode()
    assert "会長" in group_page
    assert "深川市（団体として参加）" in group_page
    groups_page = secretariat_client.get(reverse("directory:manage_groups"))
    assert "令和8年度役員会" in groups_page.content.decode()

    response = secretariat_client.post(group_url, {"action": "remove", "member": str(chair.pk)})
    assert response.status_code == 302
    assert list(group.members.all()) == [by_org]


def test_group_term_ending_before_it_starts_is_refused(council, secretariat_client):
    group = Group.objects.create(name="幹事会", kind=GroupKind.STEERING)
    response = secretariat_client.post(
        reverse("directory:manage_group", args=[group.pk]),
        {
            "organization": "当別町",
            "role": GroupRole.MEMBER,
            "term_start": "R8.4.1",
            "term_end": "R7.3.31",
        },
    )
    assert response.status_code == 200
    assert "任期終了は任期開始より後の日付にしてください。" in response.content.decode()
    assert not GroupMember.objects.exists()


@pytest.mark.parametrize("member", ["x", "", "999999"])
def test_removing_an_unknown_group_member_is_reported_not_a_crash(
    member, council, secretariat_client
):
    group = Group.objects.create(name="幹事会", kind=GroupKind.STEERING)
    kept = GroupMember.objects.create(group=group, organization=council.member_org)
    response = secretariat_client.post(
        reverse("directory:manage_group", args=[group.pk]),
        {"action": "remove", "member": member},
        follow=True,
    )
    assert response.status_code == 200
    assert "外す構成員が見つかりません。" in response.content.decode()
    assert list(group.members.all()) == [kept]


def test_secretariat_invites_a_representative_for_an_organization(council, secretariat_client):
    response = secretariat_client.post(
        reverse("directory:manage_invitations"),
        {
            "organization": "353213",
            "name": "和木 管理",
            "email": "waki-kanri@example.lg.jp",
            "role": Role.REPRESENTATIVE,
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organization, invitation.role) == (council.other_org, Role.REPRESENTATIVE)
    page = secretariat_client.get(reverse("directory:manage_invitations")).content.decode()
    assert "waki-kanri@example.lg.jp" in page
    response = secretariat_client.post(
        reverse("directory:invitation_revoke", args=[invitation.pk]), {"next": "manage"}
    )
    assert response["Location"] == reverse("directory:manage_invitations")


# Membership status --------------------------------------------------------------------------


def test_membership_status_counts_members_on_the_date_typed(council, history, client_as):
    response = client_as(council.staff).get(
        reverse("directory:membership_status"), {"on": "R8.4.1"}
    )
    content = response.content.decode()
    assert "会員状況（令和8年4月1日現在）" in content
    # 深川市; 千代田区; 当別町, 和木町; 占冠村. 総務省 observes and is not counted.
    sentence = (
        '<p class="summary-sentence" id="membership-sentence">5団体（市1、特別区1、町2、村1）</p>'
    )
    assert sentence in content
    later = client_as(council.staff).get(reverse("directory:membership_status"), {"on": "R8.5.1"})
    assert "会員状況（令和8年5月1日現在）" in later.content.decode()
    # 千歳市 has joined, 占冠村 has left: a kind with no members is not named.
    assert "5団体（市2、特別区1、町2）" in later.content.decode()
    assert "村0" not in later.content.decode()


def test_membership_status_shows_today_when_no_date_is_typed(council, client_as):
    response = client_as(council.staff).get(reverse("directory:membership_status"))
    assert response.context["summary"].on == timezone.localdate()


def test_membership_status_rejects_an_unreadable_date(council, client_as):
    response = client_as(council.staff).get(
        reverse("directory:membership_status"), {"on": "きのう"}
    )
    assert response.status_code == 200
    assert "日付として読み取れません" in response.content.decode()
