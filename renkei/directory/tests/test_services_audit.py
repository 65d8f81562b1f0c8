"""Directory changes that used to leave no trace now write their audit row with the change."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from renkei.audit.models import Action, AuditEvent
from renkei.directory import services
from renkei.directory.models import (
    Group,
    GroupKind,
    GroupMember,
    GroupRole,
    Invitation,
    Organization,
    OrganizationKind,
    Person,
)
from renkei.testing import audit_insert_fails


def _group() -> Group:
    return Group.objects.create(name="システム標準化部会", kind=GroupKind.COMMITTEE)


def _only_event() -> AuditEvent:
    (event,) = AuditEvent.objects.all()
    return event


def test_person_create_records_who_added_the_person(council):
    person = services.person_create(
        organization=council.member_org, name="当別 六子", by=council.secretariat
    )

    event = _only_event()
    assert (event.action, event.actor) == (Action.CREATED, council.secretariat)
    assert (event.target_type, event.target_id) == ("directory.person", str(person.pk))


def test_person_whose_audit_row_cannot_be_written_is_not_added(council):
    people = Person.objects.count()

    with pytest.raises(DatabaseError), connection.execute_wrapper(audit_insert_fails):
        services.person_create(
            organization=council.member_org, name="当別 六子", by=council.secretariat
        )

    assert Person.objects.count() == people


def test_group_member_add_and_remove_record_who_did_it(council):
    group = _group()
    member = services.group_member_add(
        group=group, organization=council.member_org, role=GroupRole.MEMBER, by=council.secretariat
    )
    services.group_member_remove(group=group, member_id=member.pk, by=council.secretariat)

    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.actor, e.target_id) for e in events] == [
        (Action.CREATED, council.secretariat, str(member.pk)),
        (Action.DELETED, council.secretariat, str(member.pk)),
    ]
    assert not GroupMember.objects.exists()


def test_refused_group_member_add_writes_nothing(council):
    with pytest.raises(services.DirectoryError) as error:
        services.group_member_add(
            group=_group(),
            organization=council.member_org,
            role=GroupRole.MEMBER,
            term_start=dt.date(2026, 4, 1),
            term_end=dt.date(2026, 3, 31),
            by=council.secretariat,
        )

    assert error.value.field == "term_end"
    assert not GroupMember.objects.exists()
    assert not AuditEvent.objects.exists()


def test_removing_an_unknown_group_member_is_refused_and_writes_nothing(council):
    with pytest.raises(services.DirectoryError):
        services.group_member_remove(group=_group(), member_id=999, by=council.secretariat)

    assert not AuditEvent.objects.exists()


def test_group_save_records_creation_then_change(council):
    group = services.group_save(
        group=Group(name="システム標準化部会", kind=GroupKind.COMMITTEE), by=council.secretariat
    )
    group.description = "標準準拠システムへの移行について情報を共有する。"
    services.group_save(group=group, by=council.secretariat)

    assert list(AuditEvent.objects.order_by("pk").values_list("action", "target_id")) == [
        (Action.CREATED, str(group.pk)),
        (Action.CHANGED, str(group.pk)),
    ]


def test_organization_save_records_the_fields_changed(council):
    organization = services.organization_save(
        organization=Organization(name="石狩東部広域水道企業団", kind=OrganizationKind.UNION),
        changed=["name", "kind"],
        by=council.secretariat,
    )

    event = _only_event()
    assert (event.action, event.target_id) == (Action.CREATED, str(organization.pk))
    assert event.detail == {"fields": ["name", "kind"]}


def test_invitation_revoke_whose_audit_row_cannot_be_written_stays_open(council):
    invitation = services.invitation_create(
        organization=council.member_org,
        name="当別 七子",
        email="nanako@example.lg.jp",
        role="staff",
        by=council.representative,
    )

    with pytest.raises(DatabaseError), connection.execute_wrapper(audit_insert_fails):
        services.invitation_revoke(invitation=invitation, by=council.representative)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_removing_a_group_member_on_the_group_page_is_audited(council, client_as):
    group = _group()
    member = GroupMember.objects.create(
        group=group, organization=council.member_org, role=GroupRole.MEMBER
    )
    response = client_as(council.secretariat).post(
        reverse("directory:manage_group", args=[group.pk]),
        {"action": "remove", "member": member.pk},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.DELETED)
    assert (event.actor, event.target_id) == (council.secretariat, str(member.pk))
