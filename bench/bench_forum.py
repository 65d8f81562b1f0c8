"""Benchmark the e-conference room at size: `.venv/bin/python -m bench.bench_forum [--repeat N]`.

A board of 10,000 threads and a thread of 2,000 posts (12,000 posts in all, a tenth of them
with 「入札」 or 「監査」). Each page is timed against the trivial layout view (bench.urls)
measured alternately in the same run, target 5×, and its query count is printed; the page's
first and last pages must make the same number of queries (checked here and in
renkei/forum/tests/test_views.py).
"""

import datetime as dt
import sys

from bench.harness import Measurement, pages_measure
from bench.main import standalone

BOARD_THREADS = 10_000
THREAD_POSTS = 2_000
TARGET = 5


def _load() -> dict:
    """Store the room with bulk inserts (the services' per-post work is not what is measured)."""
    from django.utils import timezone

    from renkei.core.markdown import markdown_html
    from renkei.core.text import fold_for_search
    from renkei.forum.models import Board, Follow, Post, ReadMarker, Thread
    from renkei.forum.services import post_search_text
    from renkei.testing import make_council

    council = make_council()
    big_board = Board.objects.create(name="情報化推進全般", position=1)
    long_board = Board.objects.create(name="セキュリティ・LGWAN", position=2)
    now = timezone.now()
    topics = ["LG.JPドメイン", "CMSの入札", "LGPKI証明書", "仮想化と監査", "電子申請", "共同調達"]
    threads = [
        Thread(
            board=big_board,
            title=f"{topics[i % len(topics)]}について（{i}）",
            search_text=fold_for_search(f"{topics[i % len(topics)]}について（{i}）"),
            author=council.staff,
            organization=council.member_org,
            last_post_at=now - dt.timedelta(minutes=i),
            post_count=1,
        )
        for i in range(BOARD_THREADS)
    ]
    Thread.objects.bulk_create(threads, batch_size=500)
    threads = list(Thread.objects.filter(board=big_board))

    def post(thread, number, text):
        return Post(
            thread=thread,
            board_id=thread.board_id,
            number=number,
            author=council.board,
            author_name="深川 一郎",
            organization=council.board_org,
            body=text,
            body_html=markdown_html(text),
            search_text=post_search_text(title=thread.title, body=text),
        )

    body = "当市では**監査**の指摘を受けて、仮想基盤の管理者権限を分けました。\n\n- 手順書の改訂\n- 研修"
    Post.objects.bulk_create(
        [
            post(t, 1, body if i % 10 == 0 else "導入事例を教えてください。")
            for i, t in enumerate(threads)
        ],
        batch_size=500,
    )
    long = Thread.objects.create(
        board=long_board,
        title="LGWAN接続系のメール無害化について",
        search_text=fold_for_search("LGWAN接続系のメール無害化について"),
        author=council.staff,
        last_post_at=now,
        post_count=THREAD_POSTS,
    )
    Post.objects.bulk_create(
        [
            post(
                long,
                n,
                f"返信{n}：入札の仕様書を共有します。" if n % 10 == 0 else f"返信{n}：{body}",
            )
            for n in range(1, THREAD_POSTS + 1)
        ],
        batch_size=500,
    )
    Follow.objects.create(user=council.staff, board=big_board)
    Follow.objects.create(user=council.staff, thread=long)
    ReadMarker.objects.create(user=council.staff, thread=long, last_read_number=1500)
    return {"council": council, "big_board": big_board, "long": long}


def run(*, repeat: int) -> list[Measurement]:
    from django.test import Client

    data = _load()
    client = Client()
    client.force_login(data["council"].staff)

    board, long = data["big_board"].pk, data["long"].pk
    pages = [
        ("forum_index", "/forum/", None),
        ("forum_board_first_page", f"/forum/boards/{board}/", None),
        ("forum_board_last_page", f"/forum/boards/{board}/?page=334", f"/forum/boards/{board}/"),
        ("forum_board_title_filter", f"/forum/boards/{board}/?q=入札", None),
        ("forum_thread_first_page", f"/forum/threads/{long}/", None),
        ("forum_thread_last_page", f"/forum/threads/{long}/?page=40", f"/forum/threads/{long}/"),
        ("forum_search_2chars", "/forum/search/?q=監査", None),
        ("forum_search_2chars_last_page", "/forum/search/?q=入札&page=7", "/forum/search/?q=入札"),
        ("forum_mine", "/forum/mine/", None),
        ("home_with_feed", "/", None),
        ("notifications", "/notifications/", None),
    ]
    return pages_measure(client, pages, repeat=repeat, target=TARGET)


def main() -> int:
    return standalone(
        run,
        description=__doc__,
        dataset=f"a board of {BOARD_THREADS:,} threads, a thread of {THREAD_POSTS:,} posts",
    )


if __name__ == "__main__":
    sys.exit(main())
