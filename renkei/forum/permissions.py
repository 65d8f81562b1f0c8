"""Who may read, write and moderate which board, thread and post: fetch and check in one call.

Open boards are read by every role with VIEW_FORUM; a board restricted to a group is read
only by that group's current members (a person member, or anyone of a member organization)
and by those who moderate (the secretariat). Anything a user may not read answers 404, so a
private board's existence does not leak.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import MATRIX, Capability, has_capability
from renkei.directory.models import GroupMember
from renkei.forum.models import NOT_HIDDEN, AbuseReport, Attachment, Board, Post, Thread

LOCKED_MESSAGE = "このスレッドはロックされているため、投稿や編集はできません。"


def can_moderate(user: User) -> bool:
    """Tell whether the user moderates the room (every board, hide, lock, move, pin)."""
    return has_capability(user, Capability.MODERATE_FORUM)


def can_post(user: User) -> bool:
    """Tell whether the user's role may post at all."""
    return has_capability(user, Capability.POST_IN_FORUM)


def _in_term() -> Q:
    today = timezone.localdate()
    return (Q(term_start__isnull=True) | Q(term_start__lte=today)) & (
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )


def _group_ids_query(user: User) -> QuerySet[GroupMember] | list[int]:
    """Return the groups the user belongs to today as a subquery (empty without a person)."""
    person = getattr(user, "person", None)
    if person is None:
        return []
    who = Q(person_id=person.pk)
    if person.organization_id:
        who |= Q(organization_id=person.organization_id)
    # GroupMember's default ordering would join Group for nothing.
    return GroupMember.objects.filter(who).filter(_in_term()).order_by().values("group_id")


def group_ids_of(user: User) -> set[int]:
    """Return the groups the user belongs to today, in person or through the organization.

    Kept on the user object for the rest of the request (a page asks several times).
    """
    cached = getattr(user, "_forum_group_ids", None)
    if cached is not None:
        return cached
    query = _group_ids_query(user)
    ids = set() if isinstance(query, list) else set(query.values_list("group_id", flat=True))
    user._forum_group_ids = ids
    return ids


def readable_boards_q(user: User, *, group_ids: Iterable[int], prefix: str = "") -> Q:
    """Match the boards the user may read, given the user's groups (prefix: "board__" on Thread).

    For a caller that knows the groups already (renkei.directory.selectors.Affiliation): the
    condition holds them as a list and needs no query or subquery of its own.
    """
    if not has_capability(user, Capability.VIEW_FORUM):
        return Q(**{f"{prefix}pk__in": []})
    if can_moderate(user):
        return Q()
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}group_id__isnull": True}) | Q(**{f"{prefix}group_id__in": list(group_ids)})
    )


def visible_boards(user: User, *, as_subquery: bool = False) -> QuerySet[Board]:
    """Return the boards the user may read (none without VIEW_FORUM).

    With as_subquery, the user's groups are read inside the query rather than before it
    (unless known already): one query fewer for a caller that runs this query only once.
    """
    if not has_capability(user, Capability.VIEW_FORUM):
        return Board.objects.none()
    if can_moderate(user):
        return Board.objects.all()
    if as_subquery and getattr(user, "_forum_group_ids", None) is None:
        groups = _group_ids_query(user)
    else:
        groups = group_ids_of(user)
    return Board.objects.filter(is_active=True).filter(
        Q(group__isnull=True) | Q(group_id__in=groups)
    )


def hidden_board_ids(user: User) -> list[int]:
    """Return the boards the user may not read (few: private and retired ones).

    Lists filter with NOT IN these rather than IN the readable ones, so that the database
    walks its newest-first index instead of collecting a board's every row to sort it.
    """
    return list(Board.objects.exclude(pk__in=visible_boards(user)).values_list("pk", flat=True))


def board_readers_q(board: Board) -> Q:
    """Match the users who may read the board (for choosing mail recipients)."""
    readers = [role for role, caps in MATRIX.items() if Capability.VIEW_FORUM in caps]
    moderators = [role for role, caps in MATRIX.items() if Capability.MODERATE_FORUM in caps]
    base = Q(is_active=True, role__in=readers)
    if board.group_id is None:
        return base
    members = GroupMember.objects.filter(group_id=board.group_id).filter(_in_term())
    person_ids = members.filter(person__isnull=False).values("person_id")
    organization_ids = members.filter(organization__isnull=False).values("organization_id")
    return base & (
        Q(role__in=moderators)
        | Q(person__in=person_ids)
        | Q(person__organization_id__in=organization_ids)
    )


def get_board_for(user: User, pk: int) -> Board:
    """Return a board the user may read, or 404."""
    return get_object_or_404(visible_boards(user), pk=pk)


def get_board_to_post_in(user: User, pk: int) -> Board:
    """Return a board where the user may start a thread."""
    board = get_board_for(user, pk)
    if not can_post(user):
        raise PermissionDenied("電子会議室に投稿する権限がありません。")
    if not board.is_active:
        raise PermissionDenied("この会議室は利用を終了しています。")
    return board


def visible_threads(user: User) -> QuerySet[Thread]:
    """Return the threads on boards the user may read; hidden ones only for moderators."""
    threads = Thread.objects.filter(board__in=visible_boards(user))
    if not can_moderate(user):
        threads = threads.filter(NOT_HIDDEN)
    return threads


def get_thread_for(user: User, pk: int) -> Thread:
    """Return a thread the user may read, or 404."""
    return get_object_or_404(visible_threads(user).select_related("board"), pk=pk)


def get_thread_to_post_in(user: User, pk: int) -> Thread:
    """Return a thread the user may reply to: readable, not locked (moderators excepted)."""
    thread = get_thread_for(user, pk)
    if not can_post(user):
        raise PermissionDenied("電子会議室に投稿する権限がありません。")
    if thread.is_locked and not can_moderate(user):
        raise PermissionDenied(LOCKED_MESSAGE)
    return thread


def get_post_for(user: User, pk: int) -> Post:
    """Return a post in a thread the user may read, or 404."""
    return get_object_or_404(
        Post.objects.filter(thread__in=visible_threads(user)).select_related("thread__board"),
        pk=pk,
    )


def get_post_to_edit_for(user: User, pk: int) -> Post:
    """Return a post the user may edit: their own in an open thread, or any for moderators."""
    post = get_post_for(user, pk)
    if can_moderate(user):
        return post
    if not can_post(user) or post.author_id != user.pk:
        raise PermissionDenied("自分の投稿だけを編集できます。")
    if post.thread.is_locked:
        raise PermissionDenied(LOCKED_MESSAGE)
    if post.is_hidden:
        raise PermissionDenied("非表示にされた投稿は編集できません。")
    return post


def get_post_to_report(user: User, pk: int) -> Post:
    """Return a post the user may report to the secretariat."""
    post = get_post_for(user, pk)
    if not can_post(user):
        raise PermissionDenied("報告する権限がありません。")
    return post


def get_attachment_for(user: User, pk: int) -> Attachment:
    """Return an attachment of a visible post; a hidden post's files only for moderators."""
    attachment = get_object_or_404(
        Attachment.objects.filter(post__thread__in=visible_threads(user)).select_related("post"),
        pk=pk,
    )
    if attachment.post.is_hidden and not can_moderate(user):
        raise Http404
    return attachment


def require_moderator(user: User) -> None:
    """Refuse anyone who does not moderate the room."""
    if not can_moderate(user):
        raise PermissionDenied("事務局のみが利用できるページです。")


def get_thread_to_moderate(user: User, pk: int) -> Thread:
    """Return any thread, for a moderator."""
    require_moderator(user)
    return get_object_or_404(Thread.objects.select_related("board"), pk=pk)


def get_post_to_moderate(user: User, pk: int) -> Post:
    """Return any post, for a moderator."""
    require_moderator(user)
    return get_object_or_404(Post.objects.select_related("thread__board"), pk=pk)


def get_report_to_resolve(user: User, pk: int) -> AbuseReport:
    """Return an abuse report, for a moderator."""
    require_moderator(user)
    return get_object_or_404(AbuseReport.objects.select_related("post__thread"), pk=pk)


def get_board_to_manage(user: User, pk: int) -> Board:
    """Return any board, for a moderator."""
    require_moderator(user)
    return get_object_or_404(Board, pk=pk)
