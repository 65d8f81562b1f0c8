"""Who may see which meeting, its materials and minutes: fetch and check in one call.

- The secretariat (manage_meetings) sees and manages every meeting.
- An invitee (the person, their organization or a group they belong to) sees the meeting.
- Other members see a meeting open to members (scope 会員に公開); a board meeting (scope 役員・
  事務局のみ) also to holders of view_board_area; an invitees-only meeting to nobody else.
- Draft and circulated minutes are read by those who may manage, the invitees and (for board
  meetings) the board; confirmed minutes by whoever sees the meeting, published minutes by
  members or, when public, by anyone without logging in.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.core.subqueries import rows_count
from renkei.directory.models import GroupMember, Person
from renkei.directory.permissions import require
from renkei.meetings.models import (
    Invitee,
    Material,
    Meeting,
    MeetingScope,
    Minutes,
    MinutesStatus,
    Publication,
)

NOT_YOURS = "この会議を閲覧する権限がありません。"


def person_of(user: User) -> Person | None:
    """Return the user's directory person, if any."""
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def _invitees_of(person: Person, *, group_ids: Iterable[int] | None) -> QuerySet[Invitee]:
    """Return the invitee rows that call the person: them, their organization, their groups.

    The groups are looked up (members whose term has not ended) unless the caller passes
    `group_ids`, the person's groups it has read already (the home page's Affiliation).
    """
    if group_ids is None:
        in_group = Exists(
            GroupMember.objects.filter(
                Q(person=person) | Q(organization_id=person.organization_id),
                group_id=OuterRef("group_id"),
            ).filter(Q(term_end__isnull=True) | Q(term_end__gte=timezone.localdate()))
        )
    else:
        in_group = Q(group_id__in=group_ids)
    return Invitee.objects.filter(
        Q(person=person) | Q(organization_id=person.organization_id) | in_group
    )


def invited_exists(
    person: Person, *, prefix: str = "", group_ids: Iterable[int] | None = None
) -> Exists:
    """Return an EXISTS that holds for the meetings to which the person is invited."""
    invitees = _invitees_of(person, group_ids=group_ids)
    return Exists(invitees.filter(meeting_id=OuterRef(f"{prefix}pk")))


def invited_q(
    person: Person | None, *, prefix: str = "", group_ids: Iterable[int] | None = None
) -> Q:
    """Return a filter for meetings to which the person is invited (see _invitees_of)."""
    if person is None:
        return Q(pk__in=[])
    # An IN list of meetings, which Django builds in less time than a correlated EXISTS.
    invitees = _invitees_of(person, group_ids=group_ids).values("meeting_id")
    return Q(**{f"{prefix}pk__in": invitees})


def meetings_visible(user: User) -> QuerySet[Meeting]:
    """Return the meetings the user may see."""
    if has_capability(user, Capability.MANAGE_MEETINGS):
        return Meeting.objects.all()
    if not has_capability(user, Capability.VIEW_MEETINGS):
        return Meeting.objects.none()
    visible = Q(scope=MeetingScope.MEMBERS) | invited_q(person_of(user))
    if has_capability(user, Capability.VIEW_BOARD_AREA):
        visible |= Q(scope=MeetingScope.BOARD)
    return Meeting.objects.filter(visible)


def is_invited(user: User, meeting: Meeting) -> bool:
    """Tell whether the user is among the meeting's invitees."""
    person = person_of(user)
    if person is None:
        return False
    return Meeting.objects.filter(invited_q(person), pk=meeting.pk).exists()


def get_meeting_for(user: User, pk: int) -> Meeting:
    """Return the meeting if the user may see it; 404 if missing, 403 otherwise."""
    require(user, Capability.VIEW_MEETINGS)
    try:
        meeting = meetings_visible(user).select_related("group").filter(pk=pk).first()
    except (ValueError, TypeError) as exc:
        raise Http404("会議が見つかりません。") from exc
    if meeting is None:
        # One query when allowed; telling a missing meeting from a closed one costs a second.
        if not Meeting.objects.filter(pk=pk).exists():
            raise Http404("会議が見つかりません。")
        raise PermissionDenied(NOT_YOURS)
    return meeting


def get_meeting_page_for(user: User, pk: int) -> Meeting:
    """Return the meeting for its page, checked as get_meeting_for, in one query when allowed.

    What the page needs besides comes in the same row: its minutes (`meeting.minutes_row`,
    None when not started), whether the user is invited (`meeting.user_invited`, left False
    for the secretariat, who manages every meeting) and the number of invitee rows
    (`meeting.invitee_count`).
    """
    require(user, Capability.VIEW_MEETINGS)
    person = person_of(user)
    # The secretariat sees and manages everything: whether it is invited does not matter.
    ask_invited = person is not None and not has_capability(user, Capability.MANAGE_MEETINGS)
    meeting = (
        meetings_visible(user)
        .select_related("group", "minutes")
        .annotate(
            user_invited=invited_exists(person) if ask_invited else Value(False),
            invitee_count=rows_count(rows=Invitee.objects.all(), pointing="meeting_id"),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        if not Meeting.objects.filter(pk=pk).exists():
            raise Http404("会議が見つかりません。")
        raise PermissionDenied(NOT_YOURS)
    meeting.minutes_row = getattr(meeting, "minutes", None)
    return meeting


def get_managed_meeting_for(user: User, pk: int) -> Meeting:
    """Return the meeting for the secretariat to manage."""
    require(user, Capability.MANAGE_MEETINGS)
    return get_meeting_for(user, pk)


def get_material_for(user: User, meeting_pk: int, pk: int) -> Material:
    """Return a material of a meeting the user may see."""
    meeting = get_meeting_for(user, meeting_pk)
    try:
        return Material.objects.get(pk=pk, meeting=meeting)
    except (Material.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("資料が見つかりません。") from exc


def can_read_draft_minutes(user: User, meeting: Meeting, *, invited: bool | None = None) -> bool:
    """Tell whether the user may read minutes before they are confirmed.

    `invited` is whether the user is invited, when the caller knows it already.
    """
    if has_capability(user, Capability.MANAGE_MEETINGS):
        return True
    if meeting.scope == MeetingScope.BOARD and has_capability(user, Capability.VIEW_BOARD_AREA):
        return True
    return is_invited(user, meeting) if invited is None else invited


def get_minutes_for(user: User, meeting_pk: int) -> Minutes:
    """Return the minutes if the user may read them in their present state.

    Published minutes are read by every member; others by those who may read drafts.
    """
    require(user, Capability.VIEW_MEETINGS)
    try:
        minutes = Minutes.objects.select_related("meeting", "meeting__group").get(
            meeting_id=meeting_pk
        )
    except (Minutes.DoesNotExist, ValueError, TypeError) as exc:
        # Someone who may not see the meeting learns nothing, not even that no minutes exist.
        get_meeting_for(user, meeting_pk)
        raise Http404("この会議の会議録はまだありません。") from exc
    published = (
        minutes.status == MinutesStatus.CONFIRMED and minutes.publication != Publication.NONE
    )
    if published:
        return minutes
    get_meeting_for(user, meeting_pk)
    if not can_read_draft_minutes(user, minutes.meeting):
        raise PermissionDenied("公開前の会議録は出席者と事務局だけが閲覧できます。")
    return minutes


def get_public_minutes(pk: int) -> Minutes:
    """Return minutes published to everyone; 404 for anything else, so nothing leaks."""
    try:
        return Minutes.objects.select_related("meeting").get(
            pk=pk, status=MinutesStatus.CONFIRMED, publication=Publication.PUBLIC
        )
    except (Minutes.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("公開されている会議録が見つかりません。") from exc
