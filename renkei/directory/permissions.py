"""Who may see and change which organization and person: fetch and check in one call."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability, has_capability, is_secretariat
from renkei.directory.models import Organization, Person


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
        raise PermissionDenied("この操作を行う権限がありません。")


def can_view_contacts(user: User) -> bool:
    """Tell whether the user may see staff contact details (members only)."""
    return has_capability(user, Capability.VIEW_CONTACTS)


def can_manage_staff_of(user: User, organization: Organization) -> bool:
    """Tell whether the user may invite and deactivate the organization's staff."""
    if is_secretariat(user):
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


def get_managed_user_for(actor: User, pk: int) -> User:
    """Return an account the actor may deactivate or reactivate, or refuse."""
    try:
        target = User.objects.select_related("person__organization").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404("アカウントが見つかりません。") from exc
    person = getattr(target, "person", None)
    if is_secretariat(actor):
        return target
    if (
        person is not None
        and person.organization_id is not None
        and target.role in (Role.STAFF, Role.REPRESENTATIVE)
        and can_manage_staff_of(actor, person.organization)
        and target.pk != actor.pk
    ):
        return target
    raise PermissionDenied("このアカウントを管理する権限がありません。")


def require_secretariat(user: User) -> None:
    """Refuse the request unless the user belongs to the secretariat."""
    if not is_secretariat(user):
        raise PermissionDenied("事務局のみが利用できるページです。")


def visible_people(user: User) -> QuerySet[Person]:
    """Return the people whose entries the user may search."""
    require(user, Capability.VIEW_CONTACTS)
    return Person.objects.filter(organization__isnull=False)
