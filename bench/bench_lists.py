"""Benchmark the group mailing lists at size: `.venv/bin/python -m bench.bench_lists [--repeat N]`.

A list archive of 10,000 threads and a thread of 2,000 messages (each answering the one
before). Each page is timed against the trivial layout view (bench.urls) measured alternately
in the same run, target 5×, and its query count is printed; the first and last pages of a list
must make the same number of queries.
"""

import datetime as dt
import itertools
import sys

from bench.harness import Measurement, pages_measure
from bench.main import standalone

ARCHIVE_THREADS = 10_000
THREAD_MESSAGES = 2_000
TARGET = 5


def _load() -> dict:
    """Store the archive with bulk inserts (the services' mailing is not what is measured)."""
    from django.utils import timezone

    from renkei.directory.models import Group, GroupKind, GroupMember
    from renkei.forum.lists.models import ListMessage, ListThread, MailingList
    from renkei.testing import make_council

    council = make_council()
    group = Group.objects.create(name="役員会", kind=GroupKind.BOARD)
    GroupMember.objects.create(group=group, organization=council.board_org)
    mailing_list = MailingList.objects.create(group=group, local_part="yakuin")
    now = timezone.now()
    topics = ["共同調達", "役員会の日程", "総会の議案", "LGWANの更新", "監査の指摘", "研修計画"]
    ListThread.objects.bulk_create(
        [
            ListThread(
                mailing_list=mailing_list,
                subject=f"{topics[i % len(topics)]}（{i}）",
                started_at=now - dt.timedelta(minutes=i),
                last_message_at=now - dt.timedelta(minutes=i),
                message_count=1,
            )
            for i in range(ARCHIVE_THREADS)
        ],
        batch_size=500,
    )
    threads = list(ListThread.objects.filter(mailing_list=mailing_list).order_by("id"))

    def message(thread, n, at, body):
        return ListMessage(
            mailing_list=mailing_list,
            thread=thread,
            source="mail",
            message_id=f"<bench.{thread.pk}.{n}@fukagawa.example.lg.jp>",
            sender=council.board,
            from_name="深川 一郎",
            from_email=council.board.email,
            subject=thread.subject if n == 1 else f"Re: {thread.subject}",
            body=body,
            published_at=at,
        )

    body = "役員の皆様\n\n論点を整理しました。\n①調達範囲 ②費用負担の按分 ③スケジュール\n"
    ListMessage.objects.bulk_create(
        [message(t, 1, t.last_message_at, body) for t in threads], batch_size=500
    )
    long = threads[0]
    ListMessage.objects.bulk_create(
        [
            message(long, n, now + dt.timedelta(seconds=n), f"返信{n}：{body}")
            for n in range(2, THREAD_MESSAGES + 1)
        ],
        batch_size=500,
    )
    chain = list(ListMessage.objects.filter(thread=long).order_by("published_at", "id"))
    for previous, current in itertools.pairwise(chain):
        current.parent_id = previous.pk
        current.depth = min(previous.depth + 1, 10)
    ListMessage.objects.bulk_update(chain[1:], ["parent", "depth"], batch_size=500)
    ListThread.objects.filter(pk=long.pk).update(message_count=THREAD_MESSAGES)
    return {"council": council, "list": mailing_list, "long": long, "last": chain[-1]}


def run(*, repeat: int) -> list[Measurement]:
    from django.test import Client

    data = _load()
    client = Client()
    client.force_login(data["council"].board)

    pk, long, last = data["list"].pk, data["long"].pk, data["last"].pk
    pages = [
        ("lists_index", "/lists/", None),
        ("lists_archive_first_page", f"/lists/{pk}/", None),
        ("lists_archive_last_page", f"/lists/{pk}/?page=334", f"/lists/{pk}/"),
        ("lists_archive_subject_filter", f"/lists/{pk}/?q=監査", None),
        ("lists_thread_first_page", f"/lists/threads/{long}/", None),
        ("lists_thread_last_page", f"/lists/threads/{long}/?page=40", f"/lists/threads/{long}/"),
        ("lists_message_permalink", f"/lists/messages/{last}/", None),
    ]
    return pages_measure(client, pages, repeat=repeat, target=TARGET)


def main() -> int:
    return standalone(
        run,
        description=__doc__,
        dataset=f"an archive of {ARCHIVE_THREADS:,} threads, a thread of {THREAD_MESSAGES:,} messages",
    )


if __name__ == "__main__":
    sys.exit(main())
