"""People: adding a person, transfers (人事異動), departures (離任・退職) and corrections."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.text import hiragana_to_katakana, katakana_from_halfwidth
from renkei.core.wareki import format_date
from renkei.directory.models import Assignment, Department, Invitation, Organization, Person, Post
from renkei.directory.services.common import DirectoryError, _changes, _save_recorded


def person_create(
    *,
    organization: Organization,
    name: str,
    kana: str = "",
    email: str = "",
    phone: str = "",
    department_name: str = "",
    title: str = "",
    started_on: dt.date | None = None,
    by: User,
    request: HttpRequest | None = None,
) -> Person:
    """Add a person to an organization's directory, starting their post history."""
    with transaction.atomic():
        department = _department(organization=organization, name=department_name)
        person = Person.objects.create(
            name=name,
            kana=_kana_clean(kana),
            email=email,
            phone=phone,
            organization=organization,
            department=department,
            title=title,
        )
        _assignment_start(
            person=person,
            organization=organization,
            department=department,
            title=title,
            started_on=started_on or timezone.localdate(),
        )
        audit_record(
            action=Action.CREATED,
            actor=by,
            target=person,
            request=request,
            detail={"organization": organization.pk},
        )
    return person


def person_transfer(
    *,
    person: Person,
    organization: Organization,
    department_name: str,
    title: str,
    on: dt.date,
    by: User,
    request: HttpRequest | None = None,
) -> Person:
    """Move a person to another post (人事異動); their history and the old posts stay."""
    with transaction.atomic():
        current = person.assignments.filter(ended_on__isnull=True).first()
        if current is not None:
            if on <= current.started_on:
                raise DirectoryError("異動日は現在の着任日より後の日付にしてください。")
            current.ended_on = on
            current.save(update_fields=["ended_on"])
        # The posts the person held stay with the organization, vacant until refilled.
        Post.objects.filter(holder=person).update(holder=None)
        department = _department(organization=organization, name=department_name)
        _assignment_start(
            person=person,
            organization=organization,
            department=department,
            title=title,
            started_on=on,
        )
        old_organization_id = person.organization_id
        person.organization = organization
        person.department = department
        person.title = title
        person.save(update_fields=["organization", "department", "title", "updated_at"])
        if person.user_id and old_organization_id != organization.pk:
            # An account does not carry management rights into another organization.
            user = person.user
            if user.role == Role.REPRESENTATIVE:
                user.role = Role.STAFF
                _save_recorded(
                    user,
                    ["role"],
                    action=Action.ROLE_CHANGED,
                    by=by,
                    request=request,
                    detail={"from": Role.REPRESENTATIVE, "to": Role.STAFF, "reason": "transfer"},
                )
        audit_record(
            action=Action.PERSON_TRANSFERRED,
            actor=by,
            target=person,
            request=request,
            detail={
                "from_organization": old_organization_id,
                "to_organization": organization.pk,
                "title": title,
                "on": on.isoformat(),
            },
        )
    return person


def person_leave(
    *, person: Person, on: dt.date, by: User, request: HttpRequest | None = None
) -> Person:
    """Record that a person left their organization (離任・退職) and end everything it gave them.

    Their current post ends on the date, the posts they held (連絡窓口 among them) fall vacant,
    their group terms end, pending invitations are withdrawn and their account is deactivated.
    """
    if person.organization_id is None:
        raise DirectoryError(f"{person.name} さんはすでにどの団体にも所属していません。")
    if on > timezone.localdate():
        raise DirectoryError("離任日が今日より後です。離任日を迎えてから登録してください。")
    current = person.assignments.filter(ended_on__isnull=True).order_by("-started_on").first()
    if current is not None and on < current.started_on:
        raise DirectoryError(
            f"離任日は現在の着任日（{format_date(current.started_on)}）以後の日付にしてください。"
        )
    if person.user_id is not None and by.pk == person.user_id:
        raise DirectoryError(
            "自分自身の離任は登録できません。事務局または他の団体管理者に依頼してください。"
        )
    with transaction.atomic():
        organization = person.organization
        person.assignments.filter(ended_on__isnull=True).update(ended_on=on)
        vacated = list(Post.objects.filter(holder=person).values_list("pk", flat=True))
        Post.objects.filter(pk__in=vacated).update(holder=None)
        # Terms that would start after the departure never begin; running ones end on the date.
        person.group_memberships.filter(term_start__gt=on).delete()
        person.group_memberships.filter(Q(term_end__isnull=True) | Q(term_end__gt=on)).update(
            term_end=on
        )
        Invitation.objects.filter(
            Q(person=person) | Q(organization=organization, email__iexact=person.email or "-"),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        person.organization = None
        person.department = None
        person.title = ""
        person.save(update_fields=["organization", "department", "title", "updated_at"])
        deactivated = False
        if person.user_id and person.user.is_active:
            person.user.is_active = False
            _save_recorded(
                person.user,
                ["is_active"],
                action=Action.USER_DEACTIVATED,
                by=by,
                request=request,
                detail={"reason": "left"},
            )
            deactivated = True
        audit_record(
            action=Action.PERSON_TRANSFERRED,
            actor=by,
            target=person,
            request=request,
            detail={
                "left_on": on.isoformat(),
                "from_organization": organization.pk,
                "vacated_posts": vacated,
                "account_deactivated": deactivated,
            },
        )
    return person


def person_update(
    *,
    person: Person,
    department_name: str,
    title: str,
    email: str,
    phone: str,
    by: User,
    request: HttpRequest | None = None,
) -> Person:
    """Correct a person's department, title and contact details (not a dated transfer)."""
    if person.organization is None:
        raise DirectoryError(f"{person.name} さんはどの団体にも所属していません。")
    with transaction.atomic():
        department = _department(organization=person.organization, name=department_name)
        before = {
            "department": person.department.name if person.department else "",
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        }
        person.department = department
        person.title = title.strip()
        person.email = email.strip()
        person.phone = phone.strip()
        after = {
            "department": department.name if department else "",
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
        }
        changes = _changes(before, after)
        if not changes:
            return person
        person.save(update_fields=["department", "title", "email", "phone", "updated_at"])
        # The current post's record follows a correction of department or title.
        if "department" in changes or "title" in changes:
            person.assignments.filter(ended_on__isnull=True).update(
                department=department, department_name=after["department"], title=person.title
            )
        audit_record(
            action=Action.CHANGED, actor=by, target=person, request=request, detail=changes
        )
    return person


def _kana_clean(kana: str) -> str:
    """Store kana as full-width katakana, however it was typed, so that searches find it."""
    return hiragana_to_katakana(katakana_from_halfwidth(kana)).strip()


def _department(*, organization: Organization, name: str) -> Department | None:
    name = name.strip()
    if not name:
        return None
    department, _ = Department.objects.get_or_create(organization=organization, name=name)
    return department


def _assignment_start(
    *,
    person: Person,
    organization: Organization,
    department: Department | None,
    title: str,
    started_on: dt.date,
) -> Assignment:
    """Open a person's next post record (their post history: 着任 until ended)."""
    return Assignment.objects.create(
        person=person,
        organization=organization,
        department=department,
        department_name=department.name if department else "",
        title=title,
        started_on=started_on,
    )
