"""Writing to the e-conference room: boards, threads, posts, moderation, follows and mail.

Every write records who did it in the audit log in the same transaction. Mail to followers
goes through the outbox (renkei.mailer) in that transaction too, so a failed post sends nothing.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import MATRIX, Capability
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.links import absolute_url
from renkei.core.markdown import markdown_html
from renkei.core.text import fold_for_search
from renkei.core.wareki import format_datetime
from renkei.directory.models import Group
from renkei.forum.models import (
    AbuseReport,
    Attachment,
    Board,
    DeliveryMode,
    Follow,
    Post,
    PostRevision,
    Preference,
    ReadMarker,
    Thread,
)
from renkei.forum.permissions import board_readers_q, can_moderate, visible_threads
from renkei.mailer.services import mail_queue

BODY_MAX_LENGTH = 20000
QUOTE_MAX_LINES = 20
# Posts listed in one digest mail; the rest are counted and linked.
DIGEST_MAX_POSTS = 50


class ForumError(ServiceError):
    """A rule of the room refused the change; the message is shown to the user."""


# --- boards ---------------------------------------------------------------------------------


def board_create(
    *,
    name: str,
    description: str = "",
    group: Group | None = None,
    position: int = 0,
    by: User,
    request: HttpRequest | None = None,
) -> Board:
    """Set up a board, open to all members or private to one group."""
    with transaction.atomic():
        board = Board.objects.create(
            name=name, description=description, group=group, position=position
        )
        audit_record(
            action="created",
            actor=by,
            target=board,
            request=request,
            detail={"what": "forum_board", "group": group.name if group else ""},
        )
    return board


def board_update(
    *,
    board: Board,
    name: str,
    description: str,
    group: Group | None,
    position: int,
    is_active: bool,
    by: User,
    request: HttpRequest | None = None,
) -> Board:
    """Change a board's name, description, group restriction, order or use."""
    with transaction.atomic():
        before = {"name": board.name, "group": board.group_id, "is_active": board.is_active}
        board.name, board.description, board.group = name, description, group
        board.position, board.is_active = position, is_active
        board.save()
        audit_record(
            action="changed",
            actor=by,
            target=board,
            request=request,
            detail={
                "what": "forum_board",
                "before": before,
                "after": {"name": name, "group": board.group_id, "is_active": is_active},
            },
        )
    return board


# --- threads and posts ----------------------------------------------------------------------


def _body_clean(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ForumError("本文を入力してください。")
    if len(body) > BODY_MAX_LENGTH:
        raise ForumError(f"本文は{BODY_MAX_LENGTH:,}文字以内にしてください。")
    return body


def _title_clean(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ForumError("題名を入力してください。")
    if len(title) > Thread._meta.get_field("title").max_length:
        raise ForumError("題名は200文字以内にしてください。")
    return title


def _organization_id(user: User) -> int | None:
    person = getattr(user, "person", None)
    return person.organization_id if person is not None else None


def thread_create(
    *,
    board: Board,
    title: str,
    body: str,
    by: User,
    files: Sequence[UploadedFile] = (),
    subject: models.Model | None = None,
    request: HttpRequest | None = None,
) -> Thread:
    """Start a thread with its first post; the author follows it from then on."""
    title = _title_clean(title)
    body = _body_clean(body)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            board=board,
            title=title,
            author=by,
            organization_id=_organization_id(by),
            last_post_at=now,
            search_text=fold_for_search(title),
            subject=subject,
        )
        audit_record(
            action="created",
            actor=by,
            target=thread,
            request=request,
            detail={"what": "forum_thread", "board": board.name},
        )
        _post_add(thread=thread, body=body, by=by, files=files, reply_to=None, request=request)
    return thread


def discussion_start(
    *, subject: models.Model, board: Board, title: str, body: str, by: User
) -> Thread:
    """Start the discussion thread of another record (an inquiry, a meeting); one per record."""
    if discussion_of(subject=subject) is not None:
        raise ForumError("この記録の意見交換スレッドはすでにあります。")
    return thread_create(board=board, title=title, body=body, by=by, subject=subject)


def discussion_of(*, subject: models.Model) -> Thread | None:
    """Return the discussion thread attached to a record, if any."""
    return Thread.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).first()


def post_create(
    *,
    thread: Thread,
    body: str,
    by: User,
    reply_to: Post | None = None,
    files: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Post:
    """Add a reply to a thread and notify its followers."""
    body = _body_clean(body)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ForumError("返信先の投稿がこのスレッドにありません。")
    with transaction.atomic():
        return _post_add(
            thread=thread, body=body, by=by, files=files, reply_to=reply_to, request=request
        )


def _post_add(
    *,
    thread: Thread,
    body: str,
    by: User,
    files: Sequence[UploadedFile],
    reply_to: Post | None,
    request: HttpRequest | None,
) -> Post:
    # The row lock makes numbering safe on PostgreSQL; SQLite's IMMEDIATE transactions
    # already run one writer at a time.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.is_locked and not can_moderate(by):
        raise ForumError("このスレッドはロックされているため、投稿できません。")
    number = locked.post_count + 1
    person = getattr(by, "person", None)
    post = Post.objects.create(
        thread=locked,
        board_id=locked.board_id,
        number=number,
        author=by,
        author_name=(by.full_name or by.get_username())[:100],
        organization_id=person.organization_id if person is not None else None,
        reply_to=reply_to,
        body=body,
        body_html=markdown_html(body),
        search_text=post_search_text(title=locked.title, body=body),
    )
    for upload in files:
        Attachment.objects.create(
            post=post, file=upload, name=(upload.name or "")[:200], size=upload.size or 0
        )
    Thread.objects.filter(pk=locked.pk).update(
        post_count=F("post_count") + 1, last_post_at=post.created_at
    )
    thread.post_count, thread.last_post_at = number, post.created_at
    audit_record(
        action="created",
        actor=by,
        target=post,
        request=request,
        detail={
            "what": "forum_post",
            "thread": locked.pk,
            "number": number,
            "attachments": [upload.name for upload in files],
        },
    )
    Follow.objects.get_or_create(user=by, thread=locked)
    read_mark(user=by, thread=locked, number=number)
    _followers_notify(post=post, thread=locked)
    return post


def post_search_text(*, title: str, body: str) -> str:
    """Return the stored search key of a post: its thread's title and its text, folded."""
    # Folding drops whitespace, so the newline between them is never part of a search word.
    return fold_for_search(title) + "\n" + fold_for_search(body)


def quote_text(*, post: Post) -> str:
    """Return the Markdown quote of a post that a reply starts with."""
    lines = post.body.splitlines()[:QUOTE_MAX_LINES]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{post.author_name}**（#{post.number}）:\n{quoted}\n\n"


def post_edit(*, post: Post, body: str, by: User, request: HttpRequest | None = None) -> Post:
    """Change a post's text, keeping the previous text as a revision."""
    body = _body_clean(body)
    if body == post.body:
        raise ForumError("本文が変更されていません。")
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, edited_by=by)
        post.body = body
        post.body_html = markdown_html(body)
        post.search_text = post_search_text(title=post.thread.title, body=body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "search_text", "edited_at"])
        audit_record(
            action="changed",
            actor=by,
            target=post,
            request=request,
            detail={"what": "forum_post_edit", "revisions": post.revisions.count()},
        )
    return post


# --- moderation -----------------------------------------------------------------------------

THREAD_ACTIONS = {
    "lock": ("is_locked", True, "ロックしました"),
    "unlock": ("is_locked", False, "ロックを解除しました"),
    "pin": ("is_pinned", True, "ピン留めしました"),
    "unpin": ("is_pinned", False, "ピン留めを外しました"),
    "hide": ("is_hidden", True, "非表示にしました"),
    "unhide": ("is_hidden", False, "再表示しました"),
}


def thread_moderate(
    *, thread: Thread, action: str, by: User, reason: str = "", request: HttpRequest | None = None
) -> str:
    """Lock, pin or hide a thread (or undo it); return what was done, in Japanese."""
    if action not in THREAD_ACTIONS:
        raise ForumError("操作を選んでください。")
    field, value, done = THREAD_ACTIONS[action]
    with transaction.atomic():
        changed = (
            Thread.objects.filter(pk=thread.pk).exclude(**{field: value}).update(**{field: value})
        )
        if not changed:
            raise ForumError(f"このスレッドはすでに{done.removesuffix('しました')}された状態です。")
        setattr(thread, field, value)
        audit_record(
            action="changed",
            actor=by,
            target=thread,
            request=request,
            detail={"what": f"forum_thread_{action}", "reason": reason},
        )
    return done


def thread_move(
    *, thread: Thread, board: Board, by: User, request: HttpRequest | None = None
) -> Thread:
    """Move a thread to another board (its followers on the old board stop hearing of it)."""
    if board.pk == thread.board_id:
        raise ForumError("移動先に今の会議室とは別の会議室を選んでください。")
    with transaction.atomic():
        before = thread.board
        thread.board = board
        thread.save(update_fields=["board"])
        Post.objects.filter(thread=thread).update(board=board)
        audit_record(
            action="changed",
            actor=by,
            target=thread,
            request=request,
            detail={"what": "forum_thread_move", "from": before.name, "to": board.name},
        )
    return thread


def post_hide(
    *, post: Post, hide: bool, reason: str, by: User, request: HttpRequest | None = None
) -> Post:
    """Hide a post from members (or show it again); its text stays for the record."""
    reason = reason.strip()
    if hide and not reason:
        raise ForumError("非表示にする理由を入力してください（投稿者と閲覧者に表示されます）。")
    with transaction.atomic():
        changed = Post.objects.filter(pk=post.pk, is_hidden=not hide).update(
            is_hidden=hide, hidden_reason=reason[:200] if hide else ""
        )
        if not changed:
            raise ForumError("この投稿はすでにその状態です。")
        post.is_hidden, post.hidden_reason = hide, reason[:200] if hide else ""
        audit_record(
            action="changed",
            actor=by,
            target=post,
            request=request,
            detail={"what": "forum_post_hide" if hide else "forum_post_unhide", "reason": reason},
        )
        if hide:
            AbuseReport.objects.filter(post=post, resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=by, resolution="投稿を非表示にしました"
            )
    return post


def abuse_report_create(
    *, post: Post, reason: str, by: User, request: HttpRequest | None = None
) -> AbuseReport:
    """Report a post to the secretariat and tell the moderators by mail."""
    reason = reason.strip()
    if not reason:
        raise ForumError("報告の理由を入力してください。")
    if AbuseReport.objects.filter(post=post, reporter=by, resolved_at__isnull=True).exists():
        raise ForumError("この投稿はすでに報告済みです。事務局の対応をお待ちください。")
    with transaction.atomic():
        report = AbuseReport.objects.create(post=post, reporter=by, reason=reason[:2000])
        audit_record(
            action="created",
            actor=by,
            target=post,
            request=request,
            detail={"what": "forum_abuse_report", "report": report.pk},
        )
        moderator_roles = [r for r, caps in MATRIX.items() if Capability.MODERATE_FORUM in caps]
        moderators = User.objects.filter(is_active=True, role__in=moderator_roles).exclude(email="")
        mail_queue(
            to=[(user.full_name, user.email) for user in moderators],
            template="forum_abuse_report",
            context={
                "thread_title": post.thread.title,
                "number": post.number,
                "author": post.author_name,
                "reporter": by.full_name or by.get_username(),
                "reason": reason,
                "reports_url": absolute_url("/forum/reports/"),
                "post_url": absolute_url(post.get_absolute_url()),
            },
            topic="forum",
        )
    return report


def abuse_report_resolve(
    *, report: AbuseReport, resolution: str, by: User, request: HttpRequest | None = None
) -> AbuseReport:
    """Close a report with what was done about it."""
    resolution = resolution.strip() or "対応不要"
    with transaction.atomic():
        changed = AbuseReport.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=by, resolution=resolution[:200]
        )
        if not changed:
            raise ForumError("この報告はすでに対応済みです。")
        audit_record(
            action="changed",
            actor=by,
            target=report.post,
            request=request,
            detail={"what": "forum_abuse_report_resolved", "report": report.pk},
        )
    report.refresh_from_db()
    return report


# --- following, reading, preferences --------------------------------------------------------


def follow_set(
    *,
    user: User,
    following: bool,
    thread: Thread | None = None,
    board: Board | None = None,
) -> None:
    """Follow or stop following a thread or a board."""
    if (thread is None) == (board is None):
        raise ValueError("follow_set() needs a thread or a board")
    with transaction.atomic():
        if following:
            Follow.objects.get_or_create(user=user, thread=thread, board=board)
        else:
            Follow.objects.filter(user=user, thread=thread, board=board).delete()
        audit_record(
            action="changed",
            actor=user,
            target=thread or board,
            detail={"what": "forum_follow" if following else "forum_unfollow"},
        )


def read_mark(*, user: User, thread: Thread, number: int) -> None:
    """Remember that the user has seen the thread up to post `number` (never backwards).

    A reader's own bookkeeping, like the session: not audited.
    """
    updated = ReadMarker.objects.filter(
        user=user, thread=thread, last_read_number__lt=number
    ).update(last_read_number=number, read_at=timezone.now())
    if not updated:
        ReadMarker.objects.get_or_create(
            user=user, thread=thread, defaults={"last_read_number": number}
        )


def preference_set(*, user: User, delivery: str, request: HttpRequest | None = None) -> None:
    """Choose mail for each post, a daily digest or none."""
    if delivery not in DeliveryMode.values:
        raise ForumError("受け取り方を選んでください。")
    with transaction.atomic():
        Preference.objects.update_or_create(
            user=user,
            defaults={"delivery": delivery, "digest_sent_until": timezone.now()},
        )
        audit_record(
            action="changed",
            actor=user,
            target=user,
            request=request,
            detail={"what": "forum_preference", "delivery": delivery},
        )


# --- mail -----------------------------------------------------------------------------------


def _followers(*, thread: Thread) -> models.QuerySet[User]:
    """Active readers of the thread's board who follow the thread or the board."""
    return (
        User.objects.filter(board_readers_q(thread.board))
        .filter(Q(forum_follows__thread=thread) | Q(forum_follows__board_id=thread.board_id))
        .exclude(email="")
        .distinct()
    )


def _followers_notify(*, post: Post, thread: Thread) -> None:
    recipients = (
        _followers(thread=thread)
        .exclude(pk=post.author_id)
        .exclude(forum_preference__delivery__in=[DeliveryMode.DAILY_DIGEST, DeliveryMode.NONE])
        .only("full_name", "email", "username")
    )
    to = [(user.full_name or user.username, user.email) for user in recipients]
    if not to:
        return
    mail_queue(
        to=to,
        template="forum_post",
        context={
            "board": thread.board.name,
            "thread_title": thread.title,
            "number": post.number,
            "author": post.author_name,
            "body": post.body,
            "posted_at": format_datetime(post.created_at),
            "post_url": absolute_url(post.get_absolute_url()),
            "preferences_url": absolute_url("/forum/preferences/"),
        },
        topic="forum",
    )


def digest_send(*, now: dt.datetime | None = None) -> int:
    """Mail each digest reader the posts since their last digest; return the mails queued."""
    now = now or timezone.now()
    sent = 0
    preferences = Preference.objects.filter(
        delivery=DeliveryMode.DAILY_DIGEST, user__is_active=True
    ).select_related("user")
    for preference in preferences:
        user = preference.user
        since = preference.digest_sent_until or (now - dt.timedelta(days=1))
        followed = Follow.objects.filter(user=user)
        posts = (
            Post.objects.filter(
                thread__in=visible_threads(user),
                is_hidden=False,
                created_at__gt=since,
                created_at__lte=now,
            )
            .filter(
                Q(thread_id__in=followed.filter(thread__isnull=False).values("thread_id"))
                | Q(thread__board_id__in=followed.filter(board__isnull=False).values("board_id"))
            )
            .exclude(author=user)
            .select_related("thread")
            .order_by("created_at")
        )
        total = posts.count()
        with transaction.atomic():
            if total and user.email:
                mail_queue(
                    to=[(user.full_name or user.username, user.email)],
                    template="forum_digest",
                    context=_digest_context(posts=list(posts[:DIGEST_MAX_POSTS]), total=total),
                    topic="forum",
                )
                sent += 1
            Preference.objects.filter(pk=preference.pk).update(digest_sent_until=now)
    return sent


def _digest_context(*, posts: list[Post], total: int) -> dict[str, Any]:
    return {
        "total": total,
        "more": total - len(posts),
        "posts": [
            {
                "thread_title": post.thread.title,
                "number": post.number,
                "author": post.author_name,
                "posted_at": format_datetime(post.created_at),
                "excerpt": post.body[:200],
                "url": absolute_url(post.get_absolute_url()),
            }
            for post in posts
        ],
        "forum_url": absolute_url("/forum/"),
        "preferences_url": absolute_url("/forum/preferences/"),
    }
