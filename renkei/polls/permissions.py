"""Who may see, vote in, request and manage polls: fetch and check in one call."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.permissions import organization_id_of, require
from renkei.polls.models import Poll, PollStatus, ResultsVisibility


def can_manage_polls(user: User) -> bool:
    """Tell whether the user runs the poll corner (the secretariat)."""
    return has_capability(user, Capability.MANAGE_INQUIRIES)


def can_vote(user: User) -> bool:
    """Tell whether the user's role may vote (members and the secretariat, not observers)."""
    return has_capability(user, Capability.VOTE_IN_POLLS)


def can_request_polls(user: User) -> bool:
    """Tell whether the user may send a 調査依頼 on behalf of their organization."""
    return (
        has_capability(user, Capability.REQUEST_INQUIRIES)
        and not can_manage_polls(user)
        and organization_id_of(user) is not None
    )


def visible_polls(user: User) -> QuerySet[Poll]:
    """Return the polls the user may see: approved ones, and their organization's requests."""
    if not (user.is_authenticated and user.is_active):
        return Poll.objects.none()
    if can_manage_polls(user):
        return Poll.objects.all()
    visible = Q(status=PollStatus.APPROVED)
    organization_id = organization_id_of(user)
    if organization_id is not None:
        visible |= Q(requesting_organization_id=organization_id)
    return Poll.objects.filter(visible)


def can_see_results(user: User, poll: Poll, *, has_voted: bool) -> bool:
    """Tell whether the user may see the poll's counts now."""
    if can_manage_polls(user):
        return True
    if poll.status != PollStatus.APPROVED:
        return False
    if poll.is_closed:
        return True
    return poll.is_open and poll.results_visibility == ResultsVisibility.AFTER_VOTING and has_voted


def get_poll_for(user: User, pk: int) -> Poll:
    """Return a poll the user may see, or answer 'not found' (a hidden request stays hidden)."""
    try:
        return visible_polls(user).select_related("requesting_organization").get(pk=pk)
    except Poll.DoesNotExist as exc:
        raise Http404("調査が見つかりません。") from exc


def get_poll_to_vote_for(user: User, pk: int) -> Poll:
    """Return a poll the user may vote in, or refuse."""
    require(user, Capability.VOTE_IN_POLLS)
    return get_poll_for(user, pk)


def require_poll_requester(user: User) -> None:
    """Refuse the request unless the user may send a 調査依頼."""
    if can_manage_polls(user):
        raise PermissionDenied("事務局は「調査を作成」から直接作成してください。")
    require(user, Capability.REQUEST_INQUIRIES)
    if organization_id_of(user) is None:
        raise PermissionDenied("所属団体が登録されていないため、調査依頼はできません。")


def require_poll_manager(user: User) -> None:
    """Refuse the request unless the user runs the poll corner."""
    if not can_manage_polls(user):
        raise PermissionDenied("事務局のみが利用できる操作です。")


def get_poll_to_manage_for(user: User, pk: int) -> Poll:
    """Return a poll for the secretariat to edit, review or close, or refuse."""
    require_poll_manager(user)
    try:
        return Poll.objects.select_related("requesting_organization").get(pk=pk)
    except Poll.DoesNotExist as exc:
        raise Http404("調査が見つかりません。") from exc
