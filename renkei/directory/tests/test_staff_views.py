"""An organization administrator keeps their own organization's staff, through the real URLs:
editing, transfers, departures, the 連絡窓口, 利用停止 with its confirmation, and every
member's own name, phone and e-mail (with a confirmation link to the new address)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action, AuditEvent
from renkei.directory import services
from renkei.directory.models import (
    Assignment,
    Group,
    GroupKind,
    GroupMember,
    Invitation,
    Person,
    Post,
)
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, Council, make_assignment, make_user

APRIL = dt.date(2026, 4, 1)


def _staff_manage(council: Council) -> str:
    return reverse("directory:organization_staff_manage", args=[council.member_org.pk])


def _login(client: Client, username: str, password: str = PASSWORD) -> bool:
    client.post(reverse("account_login"), {"login": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_person(council: Council) -> Person:
    """当別町's staff member, in post since 令和6年4月1日 and holding the 連絡窓口."""
    person = council.staff.person
    make_assignment(person=person, title=person.title, started_on=dt.date(2024, 4, 1))
    return person


@pytest.fixture
def contact_post(council: Council, staff_person: Person) -> Post:
    return Post.objects.create(
        organization=council.member_org,
        title="情報化担当窓口",
        is_contact=True,
        holder=staff_person,
    )


@pytest.fixture
def other_representative(council: Council) -> User:
    """和木町's organization administrator: a manager, but of another organization."""
    return make_user(
        username="waki-kanri",
        name="和木 管理",
        role=Role.REPRESENTATIVE,
        organization=council.other_org,
    )


# Refusals on every new URL ------------------------------------------------------------------


def _new_urls(council: Council, person: Person) -> list[tuple[str, str, dict]]:
    """(method, url, data) for every page this feature adds, aimed at 当別町's staff."""
    return [
        ("get", reverse("directory:person_edit", args=[person.pk]), {}),
        (
            "post",
            reverse("directory:person_edit", args=[person.pk]),
            {"department": "総務課", "title": "係長", "email": "x@example.lg.jp", "phone": "1"},
        ),
        ("get", reverse("directory:person_reassign", args=[person.pk]), {}),
        (
            "post",
            reverse("directory:person_reassign", args=[person.pk]),
            {"department": "総務課", "title": "係長", "on": "R8.4.1"},
        ),
        ("get", reverse("directory:person_leave", args=[person.pk]), {}),
        (
            "post",
            reverse("directory:person_leave", args=[person.pk]),
            {"on": "R8.4.1", "confirm": "1"},
        ),
        ("get", reverse("directory:organization_contacts", args=[council.member_org.pk]), {}),
        (
            "post",
            reverse("directory:organization_contacts", args=[council.member_org.pk]),
            {"action": "create", "title": "連絡窓口", "holder": str(person.pk)},
        ),
        ("get", reverse("directory:user_deactivate", args=[council.staff.pk]), {}),
        (
            "post",
            reverse("directory:user_set_active", args=[council.staff.pk]),
            {"active": "0", "confirm": "1"},
        ),
    ]


def _state(council: Council) -> tuple:
    person = Person.objects.get(pk=council.staff.person.pk)
    return (
        person.organization_id,
        person.department_id,
        person.title,
        person.email,
        person.phone,
        Assignment.objects.count(),
        list(Post.objects.values_list("pk", "holder_id")),
        User.objects.get(pk=council.staff.pk).is_active,
        AuditEvent.objects.exclude(action=Action.LOGIN_SUCCEEDED).count(),
    )


@pytest.mark.parametrize("who", ["other_representative", "outsider", "staff", "observer"])
def test_people_who_do_not_manage_the_organization_are_refused_on_every_staff_url(
    who, council, staff_person, other_representative, client_as
):
    user = other_representative if who == "other_representative" else getattr(council, who)
    if who == "staff":
        # A colleague without the administrator role, acting on someone else of 当別町.
        user = council.staff
        staff_person = council.representative.person
    client = client_as(user)
    before = _state(council)
    for method, url, data in _new_urls(council, staff_person):
        if who == "staff" and "user_" in url:
            continue  # the staff member's own account: covered by the administrator test below
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (method, url, response.status_code)
    assert _state(council) == before


def test_anonymous_visitors_are_sent_to_the_login_page_on_every_staff_url(council, staff_person):
    before = _state(council)
    urls = [*_new_urls(council, staff_person), ("get", reverse("directory:profile"), {})]
    token = signing.dumps(
        {"u": council.staff.pk, "from": council.staff.email, "to": "new@example.lg.jp"},
        salt=services.EMAIL_CHANGE_SALT,
    )
    urls.append(("post", reverse("directory:email_change_confirm", args=[token]), {}))
    for method, url, data in urls:
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert _state(council) == before


def test_representative_cannot_record_the_departure_of_a_board_member_of_his_organization(
    council, client_as
):
    board_here = make_user(
        username="tobetsu-board", name="当別 役員", role=Role.BOARD, organization=council.member_org
    )
    url = reverse("directory:person_leave", args=[board_here.person.pk])
    representative = client_as(council.representative)
    page = representative.get(_staff_manage(council)).content.decode()
    assert url not in page
    assert reverse("directory:user_deactivate", args=[board_here.pk]) not in page
    response = representative.post(url, {"on": "R8.4.1", "confirm": "1"})
    assert response.status_code == 403
    board_here.refresh_from_db()
    assert board_here.is_active


# Editing and transfers -------------------------------------------------------------------------


def test_representative_edits_a_colleagues_department_title_phone_and_email(
    council, staff_person, client_as
):
    representative = client_as(council.representative)
    url = reverse("directory:person_edit", args=[staff_person.pk])
    page = representative.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["phone"] == "0123-45-6789"
    response = representative.post(
        url,
        {
            "department": "総務課",
            "title": "係長",
            "email": "jiro.tobetsu@example.lg.jp",
            "phone": "0133-23-2111",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _staff_manage(council)
    staff_person.refresh_from_db()
    assert (staff_person.department.name, staff_person.title) == ("総務課", "係長")
    assert (staff_person.email, staff_person.phone) == (
        "jiro.tobetsu@example.lg.jp",
        "0133-23-2111",
    )
    # The login address is the person's own: only they change it, by a confirmed link.
    council.staff.refresh_from_db()
    assert council.staff.email == "tobetsu-staff@example.lg.jp"
    event = AuditEvent.objects.get(action=Action.CHANGED, target_id=str(staff_person.pk))
    assert event.actor == council.representative
    assert event.detail["title"] == ["主任", "係長"]
    listed = representative.get(_staff_manage(council)).content.decode()
    assert "0133-23-2111" in listed


def test_a_bad_email_is_a_japanese_error_and_changes_nothing(council, staff_person, client_as):
    response = client_as(council.representative).post(
        reverse("directory:person_edit", args=[staff_person.pk]),
        {"department": "総務課", "title": "係長", "email": "not-an-address", "phone": ""},
    )
    assert response.status_code == 200
    assert "有効なメールアドレスを入力してください。" in response.content.decode()
    staff_person.refresh_from_db()
    assert staff_person.title == "主任"
    assert not AuditEvent.objects.filter(action=Action.CHANGED).exists()


def test_representative_records_a_transfer_inside_the_organization(
    council, staff_person, contact_post, client_as
):
    representative = client_as(council.representative)
    url = reverse("directory:person_reassign", args=[staff_person.pk])
    page = representative.get(url).content.decode()
    assert "情報化担当窓口" in page  # the page warns that the post falls vacant
    response = representative.post(url, {"department": "総務課", "title": "係長", "on": "R8.4.1"})
    assert response.status_code == 302
    staff_person.refresh_from_db()
    assert staff_person.organization == council.member_org
    assert (staff_person.department.name, staff_person.title) == ("総務課", "係長")
    history = list(staff_person.assignments.order_by("started_on"))
    assert [(a.department_name, a.title, a.started_on, a.ended_on) for a in history] == [
        ("情報政策課", "主任", dt.date(2024, 4, 1), APRIL),
        ("総務課", "係長", APRIL, None),
    ]
    contact_post.refresh_from_db()
    assert contact_post.holder is None
    event = AuditEvent.objects.get(action=Action.PERSON_TRANSFERRED)
    assert event.actor == council.representative


def test_transfer_dated_before_the_current_post_is_refused(council, staff_person, client_as):
    response = client_as(council.representative).post(
        reverse("directory:person_reassign", args=[staff_person.pk]),
        {"department": "総務課", "title": "係長", "on": "R5.4.1"},
    )
    assert response.status_code == 200
    assert "異動日は現在の着任日より後の日付にしてください。" in response.content.decode()
    staff_person.refresh_from_db()
    assert staff_person.title == "主任"


# Departures --------------------------------------------------------------------------------


def test_departure_asks_for_confirmation_and_a_post_without_it_changes_nothing(
    council, staff_person, contact_post, client_as
):
    representative = client_as(council.representative)
    url = reverse("directory:person_leave", args=[staff_person.pk])
    before = _state(council)
    assert representative.get(url).status_code == 200
    response = representative.post(url, {"on": "R8.3.31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "令和8年3月31日" in page
    assert "ログインできなくなります" in page
    assert "情報化担当窓口" in page and "空席" in page
    assert "メールは送りません" in page
    assert 'name="confirm" value="1"' in page
    assert _state(council) == before


def test_departure_ends_login_posts_group_terms_and_listings(
    council, staff_person, contact_post, client_as
):
    group = Group.objects.create(name="セキュリティWG", kind=GroupKind.WORKING_GROUP)
    running = GroupMember.objects.create(group=group, person=staff_person, term_start=APRIL)
    Invitation.objects.create(
        organization=council.member_org,
        person=staff_person,
        name=staff_person.name,
        email=staff_person.email,
        invited_by=council.representative,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    staff_session = client_as(council.staff)
    representative = client_as(council.representative)
    response = representative.post(
        reverse("directory:person_leave", args=[staff_person.pk]),
        {"on": "R8.9.30", "confirm": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == _staff_manage(council)
    assert "離任を登録しました" in representative.get(response["Location"]).content.decode()

    staff_person.refresh_from_db()
    assert staff_person.organization is None
    assert staff_person.assignments.get().ended_on == dt.date(2026, 9, 30)
    contact_post.refresh_from_db()
    assert contact_post.holder is None
    running.refresh_from_db()
    assert running.term_end == dt.date(2026, 9, 30)
    assert Invitation.objects.get().revoked_at is not None
    events = AuditEvent.objects.filter(actor=council.representative)
    assert events.filter(action=Action.PERSON_TRANSFERRED).get().detail["left_on"] == "2026-09-30"
    assert events.filter(action=Action.USER_DEACTIVATED).exists()

    # The departed person can no longer log in, and their open session is over.
    assert staff_session.get("/")["Location"].startswith("/accounts/login/")
    assert not _login(Client(), "tobetsu-staff")
    # They are gone from 職員・連絡先, from colleagues' home pages and from 人員検索.
    detail = representative.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert "当別 次郎" not in detail
    assert "当別 次郎" not in representative.get(reverse("home")).content.decode()
    found = representative.get(reverse("directory:person_list"), {"q": "当別 次郎"})
    assert reverse("directory:person_detail", args=[staff_person.pk]) not in found.content.decode()


def test_departure_dated_in_the_future_is_refused(council, staff_person, client_as):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_as(council.representative).post(
        reverse("directory:person_leave", args=[staff_person.pk]),
        {"on": tomorrow.isoformat(), "confirm": "1"},
    )
    assert response.status_code == 200
    assert "離任日が今日より後です。" in response.content.decode()
    staff_person.refresh_from_db()
    council.staff.refresh_from_db()
    assert staff_person.organization == council.member_org
    assert council.staff.is_active


def test_representative_cannot_record_his_own_departure(council, client_as):
    person = council.representative.person
    response = client_as(council.representative).post(
        reverse("directory:person_leave", args=[person.pk]), {"on": "R8.4.1", "confirm": "1"}
    )
    assert response.status_code == 403
    council.representative.refresh_from_db()
    assert council.representative.is_active


def test_secretariat_records_a_retirement_in_the_transfer_form(
    council, staff_person, contact_post, client_as
):
    secretariat = client_as(council.secretariat)
    url = reverse("directory:manage_person_transfer", args=[staff_person.pk])
    response = secretariat.post(
        url, {"kind": "leave", "organization": "", "department": "", "title": "", "on": "R8.3.31"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "離任を確定する" in page
    assert reverse("directory:person_leave", args=[staff_person.pk]) in page
    staff_person.refresh_from_db()
    assert staff_person.organization == council.member_org

    response = secretariat.post(
        reverse("directory:person_leave", args=[staff_person.pk]),
        {"on": "2026-03-31", "confirm": "1"},
    )
    assert response.status_code == 302
    staff_person.refresh_from_db()
    council.staff.refresh_from_db()
    assert staff_person.organization is None
    assert not council.staff.is_active
    contact_post.refresh_from_db()
    assert contact_post.holder is None
    history = secretariat.get(reverse("directory:person_detail", args=[staff_person.pk]))
    assert "令和8年3月31日" in history.content.decode()


def test_secretariat_transfer_still_needs_a_destination(council, staff_person, client_as):
    response = client_as(council.secretariat).post(
        reverse("directory:manage_person_transfer", args=[staff_person.pk]),
        {"kind": "transfer", "organization": "", "department": "", "title": "", "on": "R8.4.1"},
    )
    assert response.status_code == 200
    assert "異動先の団体を入力してください。" in response.content.decode()


# The 連絡窓口 ------------------------------------------------------------------------------------


def test_representative_reassigns_the_contact_after_a_transfer(
    council, staff_person, contact_post, client_as
):
    representative = client_as(council.representative)
    representative.post(
        reverse("directory:person_reassign", args=[staff_person.pk]),
        {"department": "総務課", "title": "係長", "on": "R8.4.1"},
    )
    url = reverse("directory:organization_contacts", args=[council.member_org.pk])
    page = representative.get(url).content.decode()
    assert "空席" in page
    successor = council.representative.person
    response = representative.post(
        url, {"action": "assign", "post": str(contact_post.pk), "holder": str(successor.pk)}
    )
    assert response.status_code == 302
    contact_post.refresh_from_db()
    assert contact_post.holder == successor
    event = AuditEvent.objects.get(action=Action.CHANGED, target_id=str(contact_post.pk))
    assert event.actor == council.representative
    assert event.detail["holder"] == [None, successor.pk]
    detail = representative.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert "情報化担当窓口" in detail and "当別 太郎" in detail


def test_the_contact_can_only_go_to_a_current_active_colleague(
    council, staff_person, contact_post, client_as
):
    representative = client_as(council.representative)
    url = reverse("directory:organization_contacts", args=[council.member_org.pk])
    outsider = council.outsider.person
    response = representative.post(
        url, {"action": "assign", "post": str(contact_post.pk), "holder": str(outsider.pk)}
    )
    assert response.status_code == 200
    assert (
        "選べるのはこの団体の現在の職員（利用停止中を除く）だけです。" in response.content.decode()
    )
    council.staff.is_active = False
    council.staff.save()
    contact_post.holder = None
    contact_post.save()
    response = representative.post(
        url, {"action": "assign", "post": str(contact_post.pk), "holder": str(staff_person.pk)}
    )
    assert response.status_code == 200
    contact_post.refresh_from_db()
    assert contact_post.holder is None
    # Another organization's post cannot be reached through this page.
    waki_post = Post.objects.create(organization=council.other_org, title="窓口", is_contact=True)
    response = representative.post(
        url,
        {
            "action": "assign",
            "post": str(waki_post.pk),
            "holder": str(council.representative.person.pk),
        },
    )
    assert response.status_code == 200
    waki_post.refresh_from_db()
    assert waki_post.holder is None


def test_representative_sets_up_a_contact_where_there_is_none(council, client_as):
    representative = client_as(council.representative)
    url = reverse("directory:organization_contacts", args=[council.member_org.pk])
    assert "連絡窓口を設ける" in representative.get(url).content.decode()
    response = representative.post(
        url, {"action": "create", "title": "連絡窓口", "holder": str(council.staff.person.pk)}
    )
    assert response.status_code == 302
    post = Post.objects.get(organization=council.member_org)
    assert (post.is_contact, post.holder) == (True, council.staff.person)


# 利用停止 with its confirmation --------------------------------------------------------------------


def test_suspension_without_confirmation_changes_nothing(council, client_as):
    representative = client_as(council.representative)
    confirm_url = reverse("directory:user_deactivate", args=[council.staff.pk])
    before = _state(council)
    page = representative.get(confirm_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "ログインできなくなります" in content
    assert "tobetsu-staff@example.lg.jp" in content  # who the notice goes to
    assert _state(council) == before
    response = representative.post(
        reverse("directory:user_set_active", args=[council.staff.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == confirm_url
    assert _state(council) == before
    assert not OutboxMessage.objects.exists()


def test_confirmed_suspension_stops_login_mails_the_person_and_hides_them(
    council, staff_person, client_as
):
    representative = client_as(council.representative)
    response = representative.post(
        reverse("directory:user_set_active", args=[council.staff.pk]),
        {"active": "0", "confirm": "1"},
    )
    assert response.status_code == 302
    assert "利用を停止しました" in representative.get(response["Location"]).content.decode()
    council.staff.refresh_from_db()
    assert not council.staff.is_active
    assert not _login(Client(), "tobetsu-staff")
    notice = OutboxMessage.objects.get(to_email="tobetsu-staff@example.lg.jp")
    assert "利用停止" in notice.subject
    assert "当別 太郎" in notice.body_text
    # Gone from 職員・連絡先 and the home page, still on the administrator's own list.
    detail = representative.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert "当別 次郎" not in detail
    assert "当別 次郎" not in representative.get(reverse("home")).content.decode()
    assert "当別 次郎" in representative.get(_staff_manage(council)).content.decode()


def test_staff_page_keeps_a_constant_number_of_queries(
    council, client_as, django_assert_max_num_queries
):
    representative = client_as(council.representative)
    representative.get(_staff_manage(council))
    for i in range(15):
        make_user(
            username=f"tobetsu-{i}",
            name=f"当別 {i}",
            role=Role.STAFF,
            organization=council.member_org,
        )
        Post.objects.create(organization=council.member_org, title=f"職{i}", is_contact=i == 0)
    with django_assert_max_num_queries(16):
        representative.get(_staff_manage(council))
    with django_assert_max_num_queries(16):
        representative.get(reverse("directory:organization_contacts", args=[council.member_org.pk]))


# A member's own name, phone and e-mail -------------------------------------------------------


def test_member_changes_own_name_and_phone(council, client_as):
    staff = client_as(council.staff)
    settings_page = staff.get(reverse("accounts:settings")).content.decode()
    assert reverse("directory:profile") in settings_page
    response = staff.post(
        reverse("directory:profile"),
        {
            "full_name": "当別 次郎（旧姓 石狩）",
            "phone": "0133-23-9999",
            "email": council.staff.email,
        },
    )
    assert response.status_code == 302
    council.staff.refresh_from_db()
    person = council.staff.person
    person.refresh_from_db()
    assert council.staff.full_name == "当別 次郎（旧姓 石狩）"
    assert (person.name, person.phone) == ("当別 次郎（旧姓 石狩）", "0133-23-9999")
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.get(action=Action.CHANGED, actor=council.staff).detail["phone"] == [
        "0123-45-6789",
        "0133-23-9999",
    ]


def _confirm_path(message: OutboxMessage) -> str:
    match = re.search(r"https?://\S+/profile/email/\S+/", message.body_text)
    assert match is not None, message.body_text
    assert match.group().startswith("http://renkei.example.lg.jp/")
    return urlsplit(match.group()).path


@pytest.fixture
def email_change_requested(council, client_as, settings) -> str:
    settings.RENKEI = {**settings.RENKEI, "BASE_URL": "http://renkei.example.lg.jp"}
    staff = client_as(council.staff)
    response = staff.post(
        reverse("directory:profile"),
        {"full_name": "当別 次郎", "phone": "0123-45-6789", "email": "jiro@new.example.lg.jp"},
    )
    assert response.status_code == 302
    return _confirm_path(OutboxMessage.objects.get(to_email="jiro@new.example.lg.jp"))


def test_email_changes_only_when_the_link_to_the_new_address_is_confirmed(
    council, email_change_requested, client_as
):
    council.staff.refresh_from_db()
    assert council.staff.email == "tobetsu-staff@example.lg.jp"
    staff = client_as(council.staff)
    page = staff.get(email_change_requested)
    assert page.status_code == 200
    assert "jiro@new.example.lg.jp" in page.content.decode()
    council.staff.refresh_from_db()
    assert council.staff.email == "tobetsu-staff@example.lg.jp"  # the GET changed nothing

    response = staff.post(email_change_requested)
    assert response.status_code == 302
    council.staff.refresh_from_db()
    council.staff.person.refresh_from_db()
    assert council.staff.email == "jiro@new.example.lg.jp"
    assert council.staff.person.email == "jiro@new.example.lg.jp"
    assert OutboxMessage.objects.filter(to_email="tobetsu-staff@example.lg.jp").exists()
    assert AuditEvent.objects.filter(
        action=Action.CHANGED, actor=council.staff, detail__email__isnull=False
    ).exists()
    # A second use of the same link is refused.
    again = staff.post(email_change_requested)
    assert again.status_code == 400
    assert "すでに使われたか" in again.content.decode()


def test_email_change_link_is_refused_for_another_user(council, email_change_requested, client_as):
    other = client_as(council.representative)
    response = other.post(email_change_requested)
    assert response.status_code == 400
    assert "別の利用者のためのもの" in response.content.decode()
    for user in (council.staff, council.representative):
        user.refresh_from_db()
    assert council.staff.email == "tobetsu-staff@example.lg.jp"
    assert council.representative.email == "tobetsu-kanri@example.lg.jp"


def _expired(token: str) -> str:
    """Sign the same request as if it had been made a day and an hour ago."""
    data = signing.loads(token, salt=services.EMAIL_CHANGE_SALT)

    class Past(signing.TimestampSigner):
        def timestamp(self) -> str:
            hours = services.EMAIL_CHANGE_VALID_HOURS + 1
            return signing.b62_encode(int(timezone.now().timestamp()) - hours * 3600)

    return Past(salt=services.EMAIL_CHANGE_SALT).sign_object(data)


def _forged(token: str) -> str:
    """Sign a request for another address with a salt other than the site's."""
    data = signing.loads(token, salt=services.EMAIL_CHANGE_SALT)
    return signing.dumps({**data, "to": "attacker@example.com"}, salt="another-salt")


def _altered(token: str) -> str:
    """Change two characters of the signed request, keeping its signature."""
    payload, rest = token.split(":", 1)
    return payload[:-2] + "xx:" + rest


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_expired, "有効期限"),
        (_forged, "このリンクは正しくありません。"),
        (_altered, "このリンクは正しくありません。"),
    ],
)
def test_spoiled_email_change_link_is_refused(
    council, email_change_requested, client_as, spoil, reason
):
    token = email_change_requested.rstrip("/").rsplit("/", 1)[1]
    spoiled = spoil(token)
    assert spoiled != token

    response = client_as(council.staff).post(
        reverse("directory:email_change_confirm", args=[spoiled])
    )

    assert response.status_code == 400
    assert reason in response.content.decode()
    council.staff.refresh_from_db()
    assert council.staff.email == "tobetsu-staff@example.lg.jp"


def test_email_already_used_by_another_member_is_refused(council, client_as):
    response = client_as(council.staff).post(
        reverse("directory:profile"),
        {"full_name": "当別 次郎", "phone": "", "email": "TOBETSU-KANRI@example.lg.jp"},
    )
    assert response.status_code == 200
    assert "他の利用者が使っています" in response.content.decode()
    assert not OutboxMessage.objects.exists()
    council.staff.person.refresh_from_db()
    assert council.staff.person.phone == "0123-45-6789"  # the whole form changed nothing
