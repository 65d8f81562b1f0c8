"""Reading the e-conference room: boards with counts, thread lists, posts, search, my threads.

Every list is paged and keeps a fixed number of queries however long it grows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Left
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.fiscal_year import fiscal_year_of, fiscal_year_range
from renkei.core.pagination import CappedPaginator
from renkei.core.text import fold_for_search
from renkei.forum.models import (
    NOT_HIDDEN,
    POSTS_PER_PAGE,
    THREADS_PER_PAGE,
    AbuseReport,
    Attachment,
    Board,
    DeliveryMode,
    Follow,
    Post,
    Preference,
    ReadMarker,
    Thread,
)
from renkei.forum.permissions import (
    can_moderate,
    hidden_board_ids,
    readable_boards_q,
    visible_boards,
    visible_threads,
)

SEARCH_PER_PAGE = 30
SEARCH_MAX_WORDS = 5
# Ten pages: a word found more often than this asks for a second word, not an 11th page.
SEARCH_MAX_RESULTS = 300
# Characters of a post shown under each search result.
SEARCH_EXCERPT_LENGTH = 120
FILTER_MAX_RESULTS = 300


@dataclass(frozen=True)
class BoardCounts:
    """A board with the figures the council reports (seed 000: 今年度 38件、総投稿数 152件)."""

    board: Board
    threads: int
    posts_this_year: int
    posts_total: int


def _fiscal_year_start(today: dt.date) -> dt.datetime:
    start, _ = fiscal_year_range(fiscal_year_of(today))
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _hidden_thread_ids() -> list[int]:
    """Return the hidden threads (few: moderation is rare), to leave their posts out."""
    return list(Thread.objects.filter(is_hidden=True).values_list("pk", flat=True))


def board_counts(*, user: User, today: dt.date | None = None) -> list[BoardCounts]:
    """Return the boards the user may read with posts this fiscal year and in total (4 queries).

    Both counts read only the indexes (board, is_hidden, …) of posts and threads.
    """
    today = today or timezone.localdate()
    since = _fiscal_year_start(today)
    boards = list(visible_boards(user).select_related("group").order_by("position", "id"))
    board_ids = [board.pk for board in boards]
    rows = (
        Post.objects.filter(NOT_HIDDEN, board_id__in=board_ids)
        .exclude(thread_id__in=_hidden_thread_ids())
        .values("board_id")
        .annotate(total=Count("id"), this_year=Count("id", filter=Q(created_at__gte=since)))
        .order_by()
    )
    by_board = {row["board_id"]: row for row in rows}
    threads = dict(
        Thread.objects.filter(NOT_HIDDEN, board_id__in=board_ids)
        .values("board_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("board_id", "count")
    )
    return [
        BoardCounts(
            board=board,
            threads=threads.get(board.pk, 0),
            posts_this_year=by_board.get(board.pk, {}).get("this_year", 0),
            posts_total=by_board.get(board.pk, {}).get("total", 0),
        )
        for board in boards
    ]


def room_totals(*, counts: list[BoardCounts]) -> tuple[int, int]:
    """Return posts this fiscal year and in total over the boards shown."""
    return (
        sum(c.posts_this_year for c in counts if c.board.group_id is None),
        sum(c.posts_total for c in counts if c.board.group_id is None),
    )


def _with_read_state(threads: QuerySet[Thread], *, user: User) -> QuerySet[Thread]:
    """Annotate each thread with the last post number the user has read and the unread count."""
    marker = ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_number")[
        :1
    ]
    return threads.annotate(
        last_read=Coalesce(Subquery(marker, output_field=IntegerField()), 0)
    ).annotate(unread=ExpressionWrapper(F("post_count") - F("last_read"), IntegerField()))


def board_threads(
    *, board: Board, user: User, query: str = "", unread_only: bool = False, page: object = 1
) -> Page:
    """Return one page of a board's threads, pinned first then by latest post (2 queries).

    Filtered by title, the page shows the first FILTER_MAX_RESULTS matches (the paginator
    says when there were more) instead of counting every match.
    """
    # The board is readable (the view fetched it through get_board_for): filter on it alone.
    threads = Thread.objects.filter(board=board)
    if not can_moderate(user):
        threads = threads.filter(NOT_HIDDEN)
    words = _search_words(query)
    for word in words:
        threads = threads.filter(search_text__contains=word)
    order = ("-is_pinned", "-last_post_at", "-id")
    if unread_only:
        threads = _with_read_state(threads, user=user).filter(unread__gt=0)
    # The page's ids are found on the index (board, is_hidden, pinned, last post, id) alone,
    # then only those 30 threads are read in full with their read state: a deep page no
    # longer reads and annotates every thread it skips. Still one query for the rows.
    ids = threads.order_by(*order).values_list("pk", flat=True)
    if words:
        # One walk of that index collects the ids of the first matches, one more than are
        # shown: they are the count and every page, so the LIKE does not run over the whole
        # board for a COUNT and stops early for a common word.
        paginator = CappedPaginator(
            list(ids[: FILTER_MAX_RESULTS + 1]), THREADS_PER_PAGE, limit=FILTER_MAX_RESULTS
        )
    else:
        paginator = Paginator(ids, THREADS_PER_PAGE)
    result = paginator.get_page(page)
    result.object_list = list(
        _with_read_state(Thread.objects.filter(pk__in=result.object_list), user=user).order_by(
            *order
        )
    )
    return result


def thread_posts(*, thread: Thread, page: object = 1) -> Page:
    """Return one page of a thread's posts with authors, reply targets and files (3 queries)."""
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("organization", "reply_to")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"), to_attr="files")
        )
        .order_by("number")
    )
    # The count is known from the thread, so the paginator asks for no COUNT(*).
    paginator = Paginator(posts, POSTS_PER_PAGE)
    paginator.count = thread.post_count
    result = paginator.get_page(page)
    # Posts are numbered 1, 2, … in their thread (page_of relies on it too): the page is a
    # range of numbers on the (thread, number) index, which the database reads as the page's
    # rows alone, where an OFFSET made it join and sort the whole thread first.
    first = (result.number - 1) * POSTS_PER_PAGE
    result.object_list = posts.filter(number__gt=first, number__lte=first + POSTS_PER_PAGE)
    return result


def page_of(*, number: int) -> int:
    """Return the page of a thread on which post `number` is shown."""
    return (number - 1) // POSTS_PER_PAGE + 1


def last_read_number(*, user: User, thread: Thread) -> int:
    """Return the number of the last post of the thread the user has read."""
    return (
        ReadMarker.objects.filter(user=user, thread=thread)
        .values_list("last_read_number", flat=True)
        .first()
        or 0
    )


def follow_state(*, user: User, thread: Thread) -> tuple[bool, bool]:
    """Tell whether the user follows the thread and its board (one query)."""
    rows = set(
        Follow.objects.filter(user=user)
        .filter(Q(thread=thread) | Q(board_id=thread.board_id))
        .values_list("thread_id", "board_id")
    )
    return (
        any(thread_id == thread.pk for thread_id, _ in rows),
        any(board_id == thread.board_id for _, board_id in rows),
    )


def follows_board(*, user: User, board: Board) -> bool:
    """Tell whether the user follows the board."""
    return Follow.objects.filter(user=user, board=board).exists()


def my_threads(*, user: User, page: object = 1) -> Page:
    """Return the threads the user started, posted in or follows, latest activity first."""
    followed = Follow.objects.filter(user=user)
    threads = (
        visible_threads(user)
        .filter(
            Q(author=user)
            | Q(pk__in=Post.objects.filter(author=user).values("thread_id"))
            | Q(pk__in=followed.filter(thread__isnull=False).values("thread_id"))
            | Q(board__in=followed.filter(board__isnull=False).values("board_id"))
        )
        .select_related("board")
        .order_by("-last_post_at", "-id")
    )
    return Paginator(_with_read_state(threads, user=user), THREADS_PER_PAGE).get_page(page)


def followed_thread_news(*, user: User, group_ids: Iterable[int], limit: int) -> list[dict]:
    """Return the followed threads (and threads of followed boards) as rows, latest first.

    Two small queries: the user's follows, then (only if there are any) the threads, found
    by those ids as plain lists, which Django compiles in a fraction of the time the same
    follows cost as subqueries (a most-used part of the home page). The caller passes the
    user's groups, so the readable boards are a plain condition on the join with the board.
    Each row has pk, title, last_post_at, post_count, board_name and last_read (the reader's
    marker, 0 if none).
    """
    follows = list(
        Follow.objects.filter(user=user).values_list("thread_id", "board_id", "thread__board_id")
    )
    if not follows:
        return []
    thread_ids = [thread for thread, board, _ in follows if board is None]
    board_ids = [board for _, board, _ in follows if board is not None]
    # Every board holding something followed: the query walks each of them newest first on
    # the index (board, is_hidden, last post, id) and stops once it has `limit` threads, so
    # a large board the user does not follow costs nothing.
    holding = sorted({board if board is not None else holder for _, board, holder in follows})
    threads = Thread.objects.filter(
        readable_boards_q(user, group_ids=group_ids, prefix="board__"),
        Q(pk__in=thread_ids) | Q(board_id__in=board_ids),
        board_id__in=holding,
    )
    if not can_moderate(user):
        # NOT_HIDDEN is an equality SQLite uses on the index (see forum.models).
        threads = threads.filter(NOT_HIDDEN)
    # The reader's marker is looked up for the threads read before the LIMIT stops the walk
    # (the newest few of each board above), not for every thread of the boards.
    marker = ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_number")
    rows = list(
        threads.annotate(board_name=F("board__name"), last_read=Subquery(marker[:1]))
        .order_by("-last_post_at", "-id")
        .values("pk", "title", "last_post_at", "post_count", "board_name", "last_read")[:limit]
    )
    # No marker yet: nothing read (0), set here rather than by a COALESCE built per query.
    for row in rows:
        row["last_read"] = row["last_read"] or 0
    return rows


def _search_words(query: str) -> list[str]:
    words = [fold_for_search(word) for word in (query or "").split()]
    return [word for word in words if word][:SEARCH_MAX_WORDS]


def forum_search(
    *, user: User, query: str, board: Board | None = None, page: object = 1
) -> Page | None:
    """Find posts whose text or thread title holds every word of the query (None: no words).

    The one search of the room, kept behind this selector so that a site-wide search can call
    it. Title and text are folded (renkei.core.text.fold_for_search) into Post.search_text when
    written and the words when asked, and matched with LIKE, so 2-character words (入札, 監査)
    match on SQLite and PostgreSQL alike; the posts are read without joining their threads.
    The newest SEARCH_MAX_RESULTS matches are shown (the paginator says when there were more).
    """
    words = _search_words(query)
    if not words:
        return None
    posts = Post.objects.exclude(board_id__in=hidden_board_ids(user))
    if board is not None:
        posts = posts.filter(board=board)
    if not can_moderate(user):
        posts = posts.filter(NOT_HIDDEN).exclude(thread_id__in=_hidden_thread_ids())
    for word in words:
        posts = posts.filter(search_text__contains=word)
    # One scan newest first by id (ids grow with time) collects the ids of the first matches,
    # one more than are shown: they are the count and every page, so the LIKE never runs
    # over the room twice (a COUNT, then the page) and stops early for a common word.
    ids = list(posts.order_by("-pk").values_list("pk", flat=True)[: SEARCH_MAX_RESULTS + 1])
    result = CappedPaginator(ids, SEARCH_PER_PAGE, limit=SEARCH_MAX_RESULTS).get_page(page)
    result.object_list = list(
        Post.objects.filter(pk__in=result.object_list)
        .select_related("thread__board", "organization")
        # The page shows 120 characters of each body: read one more (to know it was cut).
        .annotate(excerpt=Left("body", SEARCH_EXCERPT_LENGTH + 1))
        .defer("body", "body_html", "search_text", "thread__search_text")
        .order_by("-pk")
    )
    return result


def open_reports(*, page: object = 1) -> Page:
    """Return the abuse reports not yet dealt with, oldest first."""
    reports = (
        AbuseReport.objects.filter(resolved_at__isnull=True)
        .select_related("post__thread", "reporter")
        .order_by("created_at", "id")
    )
    return Paginator(reports, 30).get_page(page)


def delivery_of(*, user: User) -> str:
    """Return how the user wants to hear of new posts."""
    return (
        Preference.objects.filter(user=user).values_list("delivery", flat=True).first()
        or DeliveryMode.EACH_POST
    )


def unread_count(*, thread: Thread) -> int:
    """Return how many posts of an annotated thread the user has not read."""
    return max(thread.post_count - getattr(thread, "last_read", 0), 0)
