"""Who may see and change which organization and person: fetch and check in one call."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.models import Organization, Person

# The accounts an organization's own 団体管理者 may invite and suspend (never 役員, observers or
# the secretariat: those only the secretariat grants, with MANAGE_DIRECTORY).
ORGANIZATION_MANAGED_ROLES = (Role.STAFF, Role.REPRESENTATIVE)


# Pages only the secretariat holds the capability for say so, as they did before capabilities.
REFUSALS = {
    Capability.MANAGE_DIRECTORY: "事務局のみが利用できるページです。",
    Capability.VIEW_AUDIT_LOG: "事務局のみが利用できるページです。",
    Capability.VIEW_OUTBOX: "事務局のみが利用できるページです。",
    Capability.MANAGE_INQUIRIES: "事務局のみが利用できるページです。",
}


def organization_of(user: User) -> Organization | None:
    """Return the organization the user works for now, if any."""
    if not user.is_authenticated:
        return None
    person = getattr(user, "person", None)
    return person.organization if person is not None else None


def organization_id_of(user: User) -> int | None:
    """Return the id of the user's organization without loading it."""
    if not user.is_authenticated:
        return None
    person = getattr(user, "person", None)
    return person.organization_id if person is not None else None


def require(user: User, capability: Capability) -> None:
    """Refuse the request unless the user's role grants the capability."""
    if not has_capability(user, capability):
        raise PermissionDenied(REFUSALS.get(capability, "この操作を行う権限がありません。"))


def can_view_contacts(user: User) -> bool:
    """Tell whether the user may see staff contact details (members only)."""
    return has_capability(user, Capability.VIEW_CONTACTS)


def can_manage_staff_of(user: User, organization: Organization) -> bool:
    """Tell whether the user may invite and deactivate the organization's staff."""
    if has_capability(user, Capability.MANAGE_DIRECTORY):
        return True
    return (
        has_capability(user, Capability.MANAGE_OWN_STAFF)
        and organization_id_of(user) == organization.pk
    )


def get_organization_for(user: User, pk: int) -> Organization:
    """Return the organization for its public page, or refuse."""
    require(user, Capability.VIEW_DIRECTORY)
    try:
        return Organization.objects.get(pk=pk)
    except Organization.DoesNotExist as exc:
        raise Http404("団体が見つかりません。") from exc


def get_managed_organization_for(user: User, pk: int) -> Organization:
    """Return an organization whose staff the user manages, or refuse."""
    organization = get_organization_for(user, pk)
    if not can_manage_staff_of(user, organization):
        raise PermissionDenied("この団体の職員を管理する権限がありません。")
    return organization


def get_person_for(user: User, pk: int) -> Person:
    """Return a person's directory entry for a member, or refuse."""
    require(user, Capability.VIEW_CONTACTS)
    try:
        return Person.objects.select_related("organization", "department", "user").get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404("人員が見つかりません。") from exc


def can_manage_account(actor: User, target: User) -> bool:
    """Tell whether the actor may deactivate or reactivate the target's account."""
    if has_capability(actor, Capability.MANAGE_DIRECTORY):
        return True
    person = getattr(target, "person", None)
    return (
        person is not None
        and person.organization_id is not None
        and target.role in ORGANIZATION_MANAGED_ROLES
        and can_manage_staff_of(actor, person.organization)
        and target.pk != actor.pk
    )


def get_managed_user_for(actor: User, pk: int) -> User:
    """Return an account the actor may deactivate or reactivate, or refuse."""
    try:
        target = User.objects.select_related("person__organization", "person__department").get(
            pk=pk
        )
    except User.DoesNotExist as exc:
        raise Http404("アカウントが見つかりません。") from exc
    if can_manage_account(actor, target):
        return target
    raise PermissionDenied("このアカウントを管理する権限がありません。")


def get_managed_person_for(user: User, pk: int) -> Person:
    """Return a current staff member of an organization the user manages, or refuse."""
    require(user, Capability.VIEW_CONTACTS)
    try:
        person = Person.objects.select_related("organization", "department", "user").get(
            pk=pk, organization__isnull=False
        )
    except Person.DoesNotExist as exc:
        raise Http404("現在どの団体にも所属していない人員です。") from exc
    if not can_manage_staff_of(user, person.organization):
        raise PermissionDenied("この職員を管理する権限がありません。")
    return person


def get_leaving_person_for(user: User, pk: int) -> Person:
    """Return a staff member whose departure the user may record (it ends their account)."""
    person = get_managed_person_for(user, pk)
    if person.user is not None and not can_manage_account(user, person.user):
        raise PermissionDenied(
            "この方のアカウントは団体管理者では停止できません。事務局にご連絡ください。"
        )
    return person


def visible_people(user: User) -> QuerySet[Person]:
    """Return the people whose entries the user may search."""
    require(user, Capability.VIEW_CONTACTS)
    people = Person.objects.filter(organization__isnull=False)
    # Suspended accounts drop out of the members' lists; the secretariat still finds them.
    if has_capability(user, Capability.MANAGE_DIRECTORY):
        return people
    return people.exclude(user__is_active=False)
