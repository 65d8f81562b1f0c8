"""Groups: storing a group, adding and removing its members."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.directory.models import Group, GroupMember, Organization, Person
from renkei.directory.services.common import DirectoryError, _save_recorded


def group_save(*, group: Group, by: User, request: HttpRequest | None = None) -> Group:
    """Store a new or edited group (validated by its form) and record who did it."""
    action = Action.CREATED if group.pk is None else Action.CHANGED
    with transaction.atomic():
        _save_recorded(group, None, action=action, by=by, request=request)
    return group


def group_member_add(
    *,
    group: Group,
    person: Person | None = None,
    organization: Organization | None = None,
    role: str,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> GroupMember:
    """Add a person or a whole organization to a group."""
    if (person is None) == (organization is None):
        raise DirectoryError("人員か団体のどちらか一方を指定してください。")
    if term_start and term_end and term_end < term_start:
        raise DirectoryError("任期終了は任期開始より後の日付にしてください。", field="term_end")
    with transaction.atomic():
        member = GroupMember.objects.create(
            group=group,
            person=person,
            organization=organization,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
        audit_record(
            action=Action.CREATED,
            actor=by,
            target=member,
            request=request,
            detail={"group": group.pk, "role": role},
        )
    return member


def group_member_remove(
    *, group: Group, member_id: int, by: User, request: HttpRequest | None = None
) -> None:
    """Take a person or an organization out of a group."""
    member = group.members.filter(pk=member_id).first()
    if member is None:
        raise DirectoryError("外す構成員が見つかりません。")
    with transaction.atomic():
        # Recorded first: once deleted, the row has no primary key to name.
        audit_record(
            action=Action.DELETED,
            actor=by,
            target=member,
            request=request,
            detail={"group": group.pk},
        )
        member.delete()
