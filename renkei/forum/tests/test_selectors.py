"""Reading the room: counts per fiscal year, search, unread markers and my threads."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from renkei.directory.selectors import affiliation_of
from renkei.forum.models import POSTS_PER_PAGE, Follow, Post
from renkei.forum.selectors import (
    board_counts,
    board_threads,
    followed_thread_news,
    forum_search,
    my_threads,
    page_of,
    room_totals,
    thread_posts,
)
from renkei.forum.services import follow_set, post_create, post_hide, read_mark, thread_create

pytestmark = pytest.mark.django_db


def _titles(page) -> list[str]:
    return [post.thread.title for post in page.object_list]


def test_counts_posts_this_fiscal_year_and_in_total(room):
    # Two posts from the previous fiscal year (before 1 April) and one hidden post.
    today = dt.date(2026, 12, 1)
    last_year = dt.datetime(2026, 3, 31, 23, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    for number in (1, 2):
        post = post_create(thread=room.thread, body=f"昨年度の投稿{number}", by=room.council.staff)
        Post.objects.filter(pk=post.pk).update(created_at=last_year)
    hidden = post_create(thread=room.thread, body="不適切", by=room.council.outsider)
    post_hide(post=hidden, hide=True, reason="不適切", by=room.council.secretariat)
    counts = {c.board.name: c for c in board_counts(user=room.council.staff, today=today)}
    assert counts["情報化推進全般"].posts_total == 4
    assert counts["情報化推進全般"].posts_this_year == 2
    assert counts["情報化推進全般"].threads == 1
    assert "役員会の会議室" not in counts
    assert room_totals(counts=list(counts.values())) == (2, 4)


def test_private_board_counts_are_shown_to_its_members(room):
    counts = {c.board.name: c for c in board_counts(user=room.council.board)}
    assert counts["役員会の会議室"].posts_total == 1


@pytest.mark.parametrize("word", ["入札", "監査", "無害化", "ＬＧＷＡＮ", "lgwan", "メール"])
def test_search_finds_two_character_and_folded_words(room, word):
    page = forum_search(user=room.council.staff, query=word)
    assert "LGWAN接続系のメール無害化について" in _titles(page)


def test_search_needs_every_word(room):
    assert len(forum_search(user=room.council.staff, query="監査 入札").object_list) == 0
    assert len(forum_search(user=room.council.staff, query="監査 見直し").object_list) == 1


def test_search_finds_hiragana_typed_for_katakana(room):
    post_create(thread=room.thread, body="クラウドの調達について", by=room.council.staff)
    assert len(forum_search(user=room.council.staff, query="くらうど").object_list) == 1


def test_search_leaves_out_private_boards_and_hidden_posts(room):
    assert forum_search(user=room.council.staff, query="役員会資料").paginator.count == 0
    assert forum_search(user=room.council.board, query="役員会資料").paginator.count == 1
    post_hide(post=room.reply, hide=True, reason="誤り", by=room.council.secretariat)
    assert forum_search(user=room.council.staff, query="監査").paginator.count == 0
    assert forum_search(user=room.council.secretariat, query="監査").paginator.count == 1


def test_search_without_words_returns_nothing(room):
    assert forum_search(user=room.council.staff, query="　 ") is None


def test_search_within_one_board(room):
    assert (
        forum_search(user=room.council.board, query="お願い", board=room.board).paginator.count == 0
    )
    assert (
        forum_search(
            user=room.council.board, query="お願い", board=room.private_board
        ).paginator.count
        == 1
    )


def test_unread_counts_follow_the_read_marker(room):
    staff = room.council.staff
    threads = {t.title: t for t in board_threads(board=room.board, user=staff).object_list}
    # staff wrote #1; #2 is 深川's reply, unread.
    assert threads["LGWAN接続系のメール無害化について"].unread == 1
    read_mark(user=staff, thread=room.thread, number=2)
    thread = board_threads(board=room.board, user=staff).object_list[0]
    assert thread.unread == 0
    assert list(board_threads(board=room.board, user=staff, unread_only=True).object_list) == []


def test_read_marker_never_goes_backwards(room):
    read_mark(user=room.council.staff, thread=room.thread, number=2)
    read_mark(user=room.council.staff, thread=room.thread, number=1)
    assert board_threads(board=room.board, user=room.council.staff).object_list[0].last_read == 2


def test_pinned_threads_come_first_then_latest_activity(room):
    newer = thread_create(
        board=room.board, title="新しい話題", body="本文", by=room.council.outsider
    )
    assert board_threads(board=room.board, user=room.council.staff).object_list[0] == newer
    room.thread.is_pinned = True
    room.thread.save()
    assert board_threads(board=room.board, user=room.council.staff).object_list[0] == room.thread


def test_board_threads_filter_by_title(room):
    thread_create(board=room.board, title="RPAの導入事例", body="本文", by=room.council.outsider)
    page = board_threads(board=room.board, user=room.council.staff, query="ｒｐａ")
    assert [t.title for t in page.object_list] == ["RPAの導入事例"]


def test_my_threads_hold_started_posted_and_followed(room):
    other = thread_create(board=room.board, title="別の話題", body="本文", by=room.council.outsider)
    mine = lambda user: {t.title for t in my_threads(user=user).object_list}  # noqa: E731
    assert mine(room.council.representative) == set()
    follow_set(user=room.council.representative, thread=other, following=True)
    assert mine(room.council.representative) == {"別の話題"}
    assert mine(room.council.board) == {
        "LGWAN接続系のメール無害化について",
        "平成21年度事業計画（案）の検討",
    }


def test_page_of_a_post():
    assert page_of(number=1) == 1
    assert page_of(number=POSTS_PER_PAGE) == 1
    assert page_of(number=POSTS_PER_PAGE + 1) == 2


def test_followed_threads_come_in_two_queries_and_only_from_readable_boards(
    room, django_assert_num_queries
):
    for user in (room.council.staff, room.council.board):
        follow_set(user=user, board=room.private_board, following=True)
        follow_set(user=user, thread=room.thread, following=True)
    outside_groups = affiliation_of(user=room.council.staff).group_ids
    inside_groups = affiliation_of(user=room.council.board).group_ids

    with django_assert_num_queries(2):
        outside = followed_thread_news(user=room.council.staff, group_ids=outside_groups, limit=10)
    inside = followed_thread_news(user=room.council.board, group_ids=inside_groups, limit=10)

    assert [t["pk"] for t in outside] == [room.thread.pk]
    assert {t["pk"] for t in inside} == {room.thread.pk, room.private_thread.pk}
    assert all("last_read" in t for t in inside)


def test_nothing_followed_costs_one_query(room, django_assert_num_queries):
    Follow.objects.filter(user=room.council.staff).delete()
    groups = affiliation_of(user=room.council.staff).group_ids

    with django_assert_num_queries(1):
        assert followed_thread_news(user=room.council.staff, group_ids=groups, limit=10) == []


def test_a_page_of_posts_is_its_range_of_numbers(room):
    for n in range(POSTS_PER_PAGE * 2 + 3 - 2):
        post_create(thread=room.thread, body=f"返信{n}", by=room.council.board)
    room.thread.refresh_from_db()
    assert room.thread.post_count == POSTS_PER_PAGE * 2 + 3

    pages = [thread_posts(thread=room.thread, page=number) for number in (1, 2, 3)]

    assert [[p.number for p in page] for page in pages] == [
        list(range(1, POSTS_PER_PAGE + 1)),
        list(range(POSTS_PER_PAGE + 1, 2 * POSTS_PER_PAGE + 1)),
        [2 * POSTS_PER_PAGE + 1, 2 * POSTS_PER_PAGE + 2, 2 * POSTS_PER_PAGE + 3],
    ]
    assert pages[2].has_previous() and not pages[2].has_next()
    assert thread_posts(thread=room.thread, page=99).number == 3
