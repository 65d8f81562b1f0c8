"""Changing the directory: memberships, people and transfers, groups, invitations."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action, AuditEvent
from renkei.directory import selectors, services
from renkei.directory.models import (
    Group,
    GroupKind,
    GroupRole,
    Invitation,
    MembershipCategory,
    OrganizationKind,
    Person,
    Post,
)
from renkei.directory.services import DirectoryError
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, make_assignment, make_organization

APRIL = dt.date(2026, 4, 1)


# Memberships --------------------------------------------------------------------------------


def test_membership_start_records_and_audits(council):
    chitose = make_organization(
        code="012246", name="千歳市", kind=OrganizationKind.CITY, member_since=None
    )
    membership = services.membership_start(
        organization=chitose,
        category=MembershipCategory.SPECIAL,
        joined_on=APRIL,
        by=council.secretariat,
    )
    assert (membership.category, membership.joined_on, membership.left_on) == (
        MembershipCategory.SPECIAL,
        APRIL,
        None,
    )
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_CHANGED)
    assert event.detail == {"joined_on": "2026-04-01", "category": "special"}
    assert event.target_label == "千歳市"


def test_membership_start_refuses_a_member(council):
    with pytest.raises(DirectoryError, match="当別町 はすでに会員です（入会日 平成20年4月1日）。"):
        services.membership_start(
            organization=council.member_org,
            category=MembershipCategory.REGULAR,
            joined_on=APRIL,
            by=council.secretariat,
        )


def test_membership_end_must_follow_joining(council):
    with pytest.raises(DirectoryError, match="退会日は入会日より後の日付にしてください。"):
        services.membership_end(
            organization=council.member_org, left_on=dt.date(2008, 4, 1), by=council.secretariat
        )
    services.membership_end(organization=council.member_org, left_on=APRIL, by=council.secretariat)
    assert council.member_org.memberships.get().left_on == APRIL
    with pytest.raises(DirectoryError, match="当別町 は現在会員ではありません。"):
        services.membership_end(
            organization=council.member_org, left_on=APRIL, by=council.secretariat
        )


def test_rejoining_after_leaving_keeps_both_periods(council):
    services.membership_end(organization=council.member_org, left_on=APRIL, by=council.secretariat)
    services.membership_start(
        organization=council.member_org,
        category=MembershipCategory.REGULAR,
        joined_on=dt.date(2027, 4, 1),
        by=council.secretariat,
    )
    assert council.member_org.memberships.count() == 2
    members_then = selectors.member_organizations(on=dt.date(2026, 10, 1))
    assert council.member_org not in members_then


def test_abolishing_ends_the_membership_and_names_the_successor(council):
    services.organization_abolish(
        organization=council.member_org,
        abolished_on=APRIL,
        successor=council.board_org,
        by=council.secretariat,
    )
    council.member_org.refresh_from_db()
    assert council.member_org.abolished_on == APRIL
    assert list(council.board_org.predecessors.all()) == [council.member_org]
    assert council.member_org.memberships.get().left_on == APRIL
    assert AuditEvent.objects.get(action=Action.CHANGED).detail == {
        "abolished_on": "2026-04-01",
        "successor": council.board_org.pk,
    }


def test_an_organization_cannot_succeed_itself(council):
    with pytest.raises(DirectoryError, match="承継団体に自分自身は指定できません。"):
        services.organization_abolish(
            organization=council.member_org,
            abolished_on=APRIL,
            successor=council.member_org,
            by=council.secretariat,
        )


# People and transfers -----------------------------------------------------------------------


def test_person_create_starts_the_post_history(council):
    person = services.person_create(
        by=council.secretariat,
        organization=council.member_org,
        name="当別 六子",
        kana="トウベツ ムツコ",
        department_name=" 総務課 ",
        title="係長",
    )
    assignment = person.assignments.get()
    assert (assignment.organization, assignment.department_name, assignment.title) == (
        council.member_org,
        "総務課",
        "係長",
    )
    assert assignment.started_on == timezone.localdate()
    assert person.department.organization == council.member_org


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("とうべつ むつこ", "トウベツ ムツコ"),
        ("ﾄｳﾍﾞﾂ ﾑﾂｺ", "トウベツ ムツコ"),
        (" トウベツ ムツコ ", "トウベツ ムツコ"),
    ],
)
def test_person_kana_is_stored_in_katakana_so_searches_find_it(council, typed, stored):
    person = services.person_create(
        by=council.secretariat, organization=council.member_org, name="当別 六子", kana=typed
    )
    assert person.kana == stored
    found = selectors.people_search(people=Person.objects.all(), q="トウベツムツコ")
    assert list(found) == [person]


def test_person_without_department_has_none(council):
    person = services.person_create(
        by=council.secretariat, organization=council.member_org, name="当別 七子"
    )
    assert person.department is None
    assert person.assignments.get().department_name == ""


@pytest.fixture
def representative_in_post(council):
    """The representative of 当別町, in post since 2024 and holding the contact post."""
    person = council.representative.person
    make_assignment(person=person, title="課長", started_on=dt.date(2024, 4, 1))
    post = Post.objects.create(
        organization=council.member_org, title="情報政策課長", is_contact=True, holder=person
    )
    return person, post


def test_transfer_to_another_organization_drops_the_representative_role(
    council, representative_in_post
):
    person, post = representative_in_post
    services.person_transfer(
        person=person,
        organization=council.board_org,
        department_name="企画課",
        title="参事",
        on=APRIL,
        by=council.secretariat,
    )
    council.representative.refresh_from_db()
    assert council.representative.role == Role.STAFF
    role_change = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert (role_change.actor, role_change.target_id) == (
        council.secretariat,
        str(council.representative.pk),
    )
    assert role_change.detail == {"from": "representative", "to": "staff", "reason": "transfer"}
    person.refresh_from_db()
    assert (person.organization, person.department.name, person.title) == (
        council.board_org,
        "企画課",
        "参事",
    )
    old, new = person.assignments.order_by("started_on")
    assert (old.organization, old.ended_on) == (council.member_org, APRIL)
    assert (new.organization, new.started_on, new.ended_on) == (council.board_org, APRIL, None)
    post.refresh_from_db()
    assert post.holder is None
    assert post.organization == council.member_org
    event = AuditEvent.objects.get(action=Action.PERSON_TRANSFERRED)
    assert event.detail == {
        "from_organization": council.member_org.pk,
        "to_organization": council.board_org.pk,
        "title": "参事",
        "on": "2026-04-01",
    }


def test_transfer_within_the_organization_keeps_the_role(council, representative_in_post):
    person, post = representative_in_post
    services.person_transfer(
        person=person,
        organization=council.member_org,
        department_name="総務課",
        title="課長",
        on=APRIL,
        by=council.secretariat,
    )
    council.representative.refresh_from_db()
    assert council.representative.role == Role.REPRESENTATIVE
    assert not AuditEvent.objects.filter(action=Action.ROLE_CHANGED).exists()
    assert person.assignments.filter(ended_on__isnull=True).get().department_name == "総務課"
    post.refresh_from_db()
    assert post.holder is None


def test_transfer_dated_on_or_before_the_current_post_changes_nothing(
    council, representative_in_post
):
    person, post = representative_in_post
    with pytest.raises(DirectoryError, match="異動日は現在の着任日より後の日付にしてください。"):
        services.person_transfer(
            person=person,
            organization=council.board_org,
            department_name="",
            title="",
            on=dt.date(2024, 4, 1),
            by=council.secretariat,
        )
    post.refresh_from_db()
    person.refresh_from_db()
    council.representative.refresh_from_db()
    assert post.holder == person
    assert person.organization == council.member_org
    assert council.representative.role == Role.REPRESENTATIVE
    assert person.assignments.get().ended_on is None


def test_person_leave_ends_the_post_and_the_account(council, representative_in_post):
    person, post = representative_in_post
    services.person_leave(person=person, on=APRIL, by=council.secretariat)
    person.refresh_from_db()
    council.representative.refresh_from_db()
    assert person.organization is None
    assert person.assignments.get().ended_on == APRIL
    assert not council.representative.is_active
    post.refresh_from_db()
    assert post.holder is None


# Groups -------------------------------------------------------------------------------------


def test_group_member_is_a_person_or_an_organization(council):
    group = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    with pytest.raises(DirectoryError, match="人員か団体のどちらか一方を指定してください。"):
        services.group_member_add(by=council.secretariat, group=group, role=GroupRole.MEMBER)
    with pytest.raises(DirectoryError):
        services.group_member_add(
            by=council.secretariat,
            group=group,
            role=GroupRole.MEMBER,
            person=council.board.person,
            organization=council.board_org,
        )
    chair = services.group_member_add(
        by=council.secretariat,
        group=group,
        person=council.board.person,
        role=GroupRole.CHAIR,
        term_start=APRIL,
    )
    assert chair.get_role_display() == "会長"


def test_group_term_must_not_end_before_it_starts(council):
    group = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    with pytest.raises(DirectoryError, match="任期終了は任期開始より後の日付にしてください。"):
        services.group_member_add(
            by=council.secretariat,
            group=group,
            organization=council.board_org,
            role=GroupRole.MEMBER,
            term_start=APRIL,
            term_end=APRIL - dt.timedelta(days=1),
        )


# Invitations --------------------------------------------------------------------------------


def _invite(council, **overrides) -> Invitation:
    fields = {
        "organization": council.member_org,
        "name": "当別 五郎",
        "email": "goro@example.lg.jp",
        "role": Role.STAFF,
        "by": council.representative,
    }
    return services.invitation_create(**{**fields, **overrides})


def test_invitation_is_mailed_with_its_link_and_expires_in_seven_days(council):
    before = timezone.now()
    invitation = _invite(council)
    assert before + dt.timedelta(days=7) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + dt.timedelta(days=7)
    message = OutboxMessage.objects.get()
    assert (message.to_email, message.to_name) == ("goro@example.lg.jp", "当別 五郎")
    assert f"/invitations/{invitation.token}/" in message.body_text
    assert "当別 太郎 さんから、当別町 の会員職員として" in message.body_text
    assert AuditEvent.objects.get(action=Action.INVITATION_SENT).target_id == str(invitation.pk)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.BOARD, Role.OBSERVER])
def test_representative_cannot_invite_other_roles(council, role):
    with pytest.raises(
        DirectoryError, match="団体管理者が招待できるのは職員と団体管理者のみです。"
    ):
        _invite(council, role=role)
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_secretariat_may_invite_any_role(council):
    invitation = _invite(council, role=Role.BOARD, by=council.secretariat)
    assert invitation.role == Role.BOARD


def test_unknown_role_is_refused(council):
    with pytest.raises(DirectoryError, match="権限の指定が正しくありません。"):
        _invite(council, role="admin", by=council.secretariat)


def test_invitation_usable_until_it_expires(council):
    invitation = _invite(council)
    assert services.invitation_is_usable(invitation)
    invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
    assert not services.invitation_is_usable(invitation)
    with pytest.raises(DirectoryError, match="有効期限が切れているか、すでに使用されています"):
        services.invitation_accept(invitation=invitation, username="goro", password=PASSWORD)
    assert not User.objects.filter(username="goro").exists()


def test_revoked_invitation_is_not_usable_and_accepted_cannot_be_revoked(council):
    invitation = _invite(council)
    services.invitation_revoke(invitation=invitation, by=council.representative)
    assert not services.invitation_is_usable(invitation)
    accepted = _invite(council, email="rokuro@example.lg.jp")
    services.invitation_accept(invitation=accepted, username="rokuro", password=PASSWORD)
    with pytest.raises(DirectoryError, match="承諾済みの招待は取り消せません。"):
        services.invitation_revoke(invitation=accepted, by=council.representative)


def test_accepting_links_the_existing_directory_entry(council):
    person = services.person_create(
        by=council.secretariat,
        organization=council.member_org,
        name="当別 五郎",
        email="Goro@example.lg.jp",
    )
    user = services.invitation_accept(
        invitation=_invite(council), username="goro", password=PASSWORD
    )
    person.refresh_from_db()
    assert person.user == user
    assert Person.objects.filter(name="当別 五郎").count() == 1
    assert AuditEvent.objects.get(action=Action.INVITATION_ACCEPTED).actor == user


def test_accepting_with_a_user_id_in_use_leaves_the_invitation_open(council):
    invitation = _invite(council)
    with pytest.raises(DirectoryError, match="ユーザーID「tobetsu-staff」はすでに使われています。"):
        services.invitation_accept(
            invitation=invitation, username="tobetsu-staff", password=PASSWORD
        )
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Person.objects.filter(name="当別 五郎").exists()


def test_user_ids_are_case_insensitive(council):
    # allauth is set to treat user IDs case-insensitively (ACCOUNT_PRESERVE_USERNAME_CASING
    # False): it looks them up in lower case, so they must be stored that way.
    with pytest.raises(DirectoryError, match="はすでに使われています"):
        services.invitation_accept(
            invitation=_invite(council), username="Tobetsu-Staff", password=PASSWORD
        )
    user = services.invitation_accept(
        invitation=_invite(council, email="rokuro@example.lg.jp"),
        username="Tobetsu-Rokuro",
        password=PASSWORD,
    )
    assert user.username == "tobetsu-rokuro"


def test_inviting_an_address_in_use_is_refused(council):
    with pytest.raises(DirectoryError, match="すでに利用者として登録されています"):
        _invite(council, email="Tobetsu-Staff@example.lg.jp")
