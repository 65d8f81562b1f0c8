"""Reading the lists: the user's lists, a list's threads, a thread's messages, held mail."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import (
    F,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from renkei.accounts.models import User
from renkei.core.pagination import CountedPaginator
from renkei.core.subqueries import rows_count
from renkei.forum.lists.models import (
    MESSAGES_PER_PAGE,
    THREADS_PER_PAGE,
    ListAttachment,
    ListMessage,
    ListThread,
    MailingList,
    MessageStatus,
)
from renkei.forum.lists.permissions import readable_lists


def lists_for(*, user: User) -> QuerySet[MailingList]:
    """Return the lists the user reads, with their thread and held counts (1 query)."""
    return (
        readable_lists(user)
        .select_related("group")
        .annotate(
            thread_count=rows_count(rows=ListThread.objects.all(), pointing="mailing_list"),
            held_count=rows_count(
                rows=ListMessage.objects.filter(status=MessageStatus.HELD), pointing="mailing_list"
            ),
        )
        .order_by("group__name")
    )


def list_threads(*, mailing_list: MailingList, query: str = "", page: int | str = 1) -> Page:
    """Return one page of a list's threads, newest activity first, filtered by subject."""
    threads = ListThread.objects.filter(mailing_list=mailing_list)
    if query.strip():
        for word in query.split():
            threads = threads.filter(subject__icontains=word)
    return Paginator(threads.order_by("-last_message_at", "-id"), THREADS_PER_PAGE).get_page(page)


def _files() -> Prefetch:
    # A list in `message.files`: a prefetch kept in the related manager would build a
    # filtered queryset per message, which cost a page of 50 more than its queries. Ordered
    # by id alone: the default ordering ("message", "id") joins the messages to sort by
    # theirs, for the same order within each message.
    return Prefetch(
        "attachments",
        ListAttachment.objects.only("id", "message_id", "name", "size").order_by("id"),
        to_attr="files",
    )


def thread_messages(*, thread: ListThread, page: int | str = 1) -> Page:
    """Return one page of a thread's published messages in order, with their files (2 queries)."""
    messages = (
        ListMessage.objects.filter(thread=thread, status=MessageStatus.PUBLISHED)
        .only(
            "id",
            "parent_id",
            "thread_id",
            "mailing_list_id",
            "from_name",
            "from_email",
            "subject",
            "body_html",
            "created_at",
            "published_at",
            "source",
            "converted_from_html",
            "mailer",
            "depth",
        )
        .prefetch_related(_files())
        .order_by("published_at", "id")
    )
    # The thread counts its published messages, so the paginator asks for no COUNT(*).
    return CountedPaginator(messages, MESSAGES_PER_PAGE, count=thread.message_count).get_page(page)


def files_load(*, messages: list[ListMessage]) -> list[ListMessage]:
    """Put each message's files in `message.files`, as a thread page has them (1 query)."""
    prefetch_related_objects(messages, _files())
    return messages


def page_of_message(*, message: ListMessage) -> int:
    """Return the page of its thread a message is on."""
    before = (
        ListMessage.objects.filter(thread_id=message.thread_id, status=MessageStatus.PUBLISHED)
        .filter(
            Q(published_at__lt=message.published_at)
            | Q(published_at=message.published_at, id__lt=message.pk)
        )
        .count()
    )
    return before // MESSAGES_PER_PAGE + 1


def held_messages(*, mailing_list: MailingList) -> QuerySet[ListMessage]:
    """Return the messages waiting for a moderator, oldest first."""
    return (
        ListMessage.objects.filter(mailing_list=mailing_list, status=MessageStatus.HELD)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def recent_threads(*, group_ids: Iterable[int], limit: int) -> list[dict]:
    """Return the newest threads of the lists of the given groups as rows (1 query, none without).

    The caller passes the user's groups (renkei.directory.selectors.Affiliation.group_ids).
    Each row has pk, subject, last_message_at, message_count and group_name.
    """
    group_ids = list(group_ids)
    if not group_ids:
        return []
    return list(
        ListThread.objects.filter(
            mailing_list__group_id__in=group_ids, mailing_list__is_active=True
        )
        .annotate(group_name=F("mailing_list__group__name"))
        .order_by("-last_message_at", "-id")
        .values("pk", "subject", "last_message_at", "message_count", "group_name")[:limit]
    )
