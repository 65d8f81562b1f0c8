"""Who may see and change which event and registration: one call per view."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.permissions import organization_id_of, require
from renkei.events.models import (
    Audience,
    Event,
    EventMaterial,
    EventStatus,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
)

M = TypeVar("M", bound=Model)


def _first_or_404(rows: QuerySet[M], missing: str) -> M:
    """Return the first of the rows, or a 404 whose page says `missing`."""
    found = rows.first()
    if found is None:
        raise Http404(missing)
    return found


def can_manage_events(user: User) -> bool:
    return has_capability(user, Capability.MANAGE_EVENTS)


def visible_events(user: User) -> QuerySet[Event]:
    """Return the events the user may see: all for the secretariat, published ones for members."""
    if can_manage_events(user):
        return Event.objects.all()
    if has_capability(user, Capability.ATTEND_EVENTS):
        return Event.objects.exclude(status=EventStatus.DRAFT)
    return Event.objects.none()


def require_event_reader(user: User) -> None:
    """Refuse a user who may see no event at all."""
    if not (can_manage_events(user) or has_capability(user, Capability.ATTEND_EVENTS)):
        raise PermissionDenied("セミナー・研修を閲覧する権限がありません。")


def require_event_manager(user: User) -> None:
    """Refuse anyone but the secretariat."""
    require(user, Capability.MANAGE_EVENTS)


def get_event_for(user: User, pk: int) -> Event:
    """Return an event the user may read, or refuse (403 without the right, 404 unknown)."""
    require_event_reader(user)
    return _first_or_404(visible_events(user).filter(pk=pk), "催しが見つかりません。")


def get_event_to_manage_for(user: User, pk: int) -> Event:
    """Return an event the secretariat changes, or refuse."""
    require(user, Capability.MANAGE_EVENTS)
    return _first_or_404(Event.objects.filter(pk=pk), "催しが見つかりません。")


def get_event_to_attend_for(user: User, pk: int) -> Event:
    """Return a published event a member may register for, or refuse."""
    require(user, Capability.ATTEND_EVENTS)
    return _first_or_404(
        Event.objects.filter(pk=pk, status=EventStatus.PUBLISHED),
        "申込を受け付けている催しが見つかりません。",
    )


def get_public_event(pk: int) -> Event:
    """Return a published event open to non-members, or 404: nothing else is public."""
    return _first_or_404(
        Event.objects.filter(pk=pk, status=EventStatus.PUBLISHED, audience=Audience.OPEN),
        "催しが見つかりません。",
    )


def get_registration_by_token(token: str) -> Registration:
    """Return the registration a registrant's own link names, or 404."""
    registration = (
        Registration.objects.select_related("event").filter(token=token).first() if token else None
    )
    if registration is None:
        raise Http404("申込が見つかりません。メールのリンクをそのまま開いてください。")
    return registration


def get_registration_to_manage_for(user: User, event_pk: int, pk: int) -> Registration:
    """Return a registration of an event for the secretariat (受付, 取消), or refuse."""
    require(user, Capability.MANAGE_EVENTS)
    return _first_or_404(
        Registration.objects.select_related("event").filter(pk=pk, event_id=event_pk),
        "申込が見つかりません。",
    )


def get_own_registration_for(user: User, event_pk: int, pk: int) -> Registration:
    """Return a registration the member made or that names them, to cancel; or refuse.

    The organization's 団体管理者 may cancel a colleague's, the secretariat anyone's.
    """
    require(user, Capability.ATTEND_EVENTS)
    registration = _first_or_404(
        Registration.objects.select_related("event", "person").filter(pk=pk, event_id=event_pk),
        "申込が見つかりません。",
    )
    own = registration.registered_by_id == user.pk or (
        registration.person is not None and registration.person.user_id == user.pk
    )
    colleague = (
        registration.organization_id is not None
        and registration.organization_id == organization_id_of(user)
        and has_capability(user, Capability.MANAGE_OWN_STAFF)
    )
    if not (own or colleague or can_manage_events(user)):
        raise PermissionDenied("この申込を取り消す権限がありません。")
    return registration


def get_questionnaire_to_manage_for(user: User, event_pk: int, pk: int) -> Questionnaire:
    """Return an event's questionnaire for the secretariat to build and run, or refuse."""
    require(user, Capability.MANAGE_EVENTS)
    return _first_or_404(
        Questionnaire.objects.select_related("event").filter(pk=pk, event_id=event_pk),
        "アンケートが見つかりません。",
    )


def get_needs_questionnaire_to_manage_for(user: User, year: int, pk: int) -> Questionnaire:
    """Return a fiscal year's needs questionnaire for the secretariat to build and run, or refuse."""
    require(user, Capability.MANAGE_EVENTS)
    return _first_or_404(
        Questionnaire.objects.filter(pk=pk, fiscal_year=year, kind=QuestionnaireKind.NEEDS),
        "アンケートが見つかりません。",
    )


def get_needs_questionnaire_for(user: User, year: int, pk: int) -> Questionnaire:
    """Return a fiscal year's open or closed needs questionnaire for a member, or refuse."""
    require(user, Capability.ATTEND_EVENTS)
    return _first_or_404(
        Questionnaire.objects.filter(pk=pk, fiscal_year=year, kind=QuestionnaireKind.NEEDS).exclude(
            status=QuestionnaireStatus.DRAFT
        ),
        "アンケートが見つかりません。",
    )


def get_questionnaire_by_token(token: str, pk: int) -> tuple[Registration, Questionnaire]:
    """Return a registrant's post-event questionnaire through their own link, or refuse.

    Only a confirmed registration of the same event reaches it: the link shows nothing else.
    """
    registration = get_registration_by_token(token)
    questionnaire = _first_or_404(
        Questionnaire.objects.filter(
            pk=pk, event_id=registration.event_id, kind=QuestionnaireKind.POST_EVENT
        ).exclude(status=QuestionnaireStatus.DRAFT),
        "アンケートが見つかりません。",
    )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise PermissionDenied("このアンケートには参加が確定した方のみ回答できます。")
    return registration, questionnaire


REGISTRANTS_ONLY_REFUSAL = "この資料は参加が確定した方のみ開けます。"


def material_openable(material: EventMaterial, *, manager: bool, attending: bool) -> bool:
    """Tell whether a material opens for someone: all do for the secretariat and for those
    attending; one marked 参加確定者のみ does not for anyone else."""
    return manager or attending or not material.registrants_only


def attending(user: User, event: Event) -> bool:
    """Tell whether the user has a confirmed registration of the event, made by or naming them."""
    return (
        event.registrations.filter(Q(registered_by=user) | Q(person__user=user))
        .filter(status=RegistrationStatus.CONFIRMED)
        .exists()
    )


def get_material_for(user: User, event_pk: int, pk: int) -> EventMaterial:
    """Return a material of an event the user may read and open, or refuse."""
    event = get_event_for(user, event_pk)
    material = _first_or_404(event.materials.filter(pk=pk), "資料が見つかりません。")
    if not material_openable(
        material, manager=can_manage_events(user), attending=attending(user, event)
    ):
        raise PermissionDenied(REGISTRANTS_ONLY_REFUSAL)
    return material


def get_material_to_manage_for(user: User, event_pk: int, pk: int) -> EventMaterial:
    """Return a material of an event for the secretariat to remove, or refuse."""
    event = get_event_to_manage_for(user, event_pk)
    material = _first_or_404(event.materials.filter(pk=pk), "資料が見つかりません。")
    material.event = event
    return material


def get_material_by_token(token: str, pk: int) -> EventMaterial:
    """Return a material of the event a registrant's own link names, or refuse.

    The link opens the event's materials only: one marked 参加確定者のみ once the registration
    is confirmed.
    """
    registration = get_registration_by_token(token)
    material = _first_or_404(
        EventMaterial.objects.filter(pk=pk, event_id=registration.event_id),
        "資料が見つかりません。",
    )
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    if not material_openable(material, manager=False, attending=confirmed):
        raise PermissionDenied(REGISTRANTS_ONLY_REFUSAL)
    return material
