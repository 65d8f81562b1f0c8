"""The room's pages: posting with files, quoting, editing, moderating, feeds, and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.forum import selectors
from renkei.forum.models import POSTS_PER_PAGE, Attachment, Post, PostRevision, Thread
from renkei.forum.services import follow_set, post_create, thread_create, thread_moderate
from renkei.testing import login_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%forum\n"


def test_member_starts_a_thread_with_an_attachment_and_downloads_it(room):
    client = login_client(room.council.representative)
    response = client.post(
        reverse("forum:thread_new", args=[room.board.pk]),
        {
            "title": "自治体クラウドの共同調達",
            "body": "仕様書の案を添付します。",
            "files": [SimpleUploadedFile("仕様書案.pdf", PDF, content_type="application/pdf")],
        },
    )
    thread = Thread.objects.get(title="自治体クラウドの共同調達")
    assert response.status_code == 302 and response["Location"] == f"/forum/threads/{thread.pk}/"
    attachment = Attachment.objects.get()
    page = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert "仕様書案.pdf" in page
    download = login_client(room.council.outsider).get(
        reverse("forum:attachment", args=[attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(room):
    client = login_client(room.council.staff)
    response = client.post(
        reverse("forum:reply", args=[room.thread.pk]),
        {"body": "添付します", "files": [SimpleUploadedFile("資料.pdf", b"MZ\x90\x00not a pdf")]},
    )
    assert response.status_code == 400
    assert "一致しません" in response.content.decode()
    assert room.thread.posts.count() == 2
    assert not Attachment.objects.exists()


def test_macro_workbook_is_refused(room):
    response = login_client(room.council.staff).post(
        reverse("forum:reply", args=[room.thread.pk]),
        {"body": "集計です", "files": [SimpleUploadedFile("集計.xlsm", b"PK")]},
    )
    assert response.status_code == 400
    assert "マクロ" in response.content.decode()


def test_quote_link_fills_the_reply_with_the_quoted_post(room):
    client = login_client(room.council.staff)
    page = client.get(reverse("forum:reply", args=[room.thread.pk]) + f"?quote={room.reply.pk}")
    html = page.content.decode()
    assert "&gt; 当市では監査の指摘を受けて見直しました。" in html
    response = client.post(
        reverse("forum:reply", args=[room.thread.pk]),
        {"body": "> 当市では監査の指摘\n\nありがとうございます。", "reply_to": room.reply.pk},
    )
    post = Post.objects.get(number=3, thread=room.thread)
    assert post.reply_to == room.reply
    assert response["Location"] == f"/forum/posts/{post.pk}/"


def test_edit_page_saves_a_revision_that_the_history_shows(room):
    client = login_client(room.council.board)
    response = client.post(
        reverse("forum:post_edit", args=[room.reply.pk]),
        {"body": "当市では令和元年度に見直しました。"},
    )
    assert response.status_code == 302
    assert PostRevision.objects.filter(post=room.reply).count() == 1
    history = login_client(room.council.staff).get(
        reverse("forum:post_history", args=[room.reply.pk])
    )
    html = history.content.decode()
    assert "当市では監査の指摘を受けて見直しました。" in html
    assert "令和元年度" in html
    thread_page = client.get(reverse("forum:thread", args=[room.thread.pk])).content.decode()
    assert "編集済み" in thread_page


def test_permalink_leads_to_the_page_of_the_post(room):
    last = POSTS_PER_PAGE + 2
    for number in range(3, last + 1):
        post_create(thread=room.thread, body=f"投稿{number}", by=room.council.staff)
    post = Post.objects.get(thread=room.thread, number=last)
    response = login_client(room.council.outsider).get(reverse("forum:post", args=[post.pk]))
    assert response["Location"] == f"/forum/threads/{room.thread.pk}/?page=2#post-{last}"
    page2 = login_client(room.council.outsider).get(response["Location"].split("#")[0])
    assert f'id="post-{last}"' in page2.content.decode()
    assert 'id="post-1"' not in page2.content.decode()


def test_lock_asks_for_confirmation_and_a_post_without_it_changes_nothing(room):
    client = login_client(room.council.secretariat)
    url = reverse("forum:thread_moderate", args=[room.thread.pk, "lock"])
    page = client.get(url).content.decode()
    assert "返信も編集もできなくなります" in page
    client.post(url, {})
    room.thread.refresh_from_db()
    assert not room.thread.is_locked
    client.post(url, {"confirm": "1", "reason": "結論が出たため"})
    room.thread.refresh_from_db()
    assert room.thread.is_locked
    refused = login_client(room.council.staff).post(
        reverse("forum:reply", args=[room.thread.pk]), {"body": "追記"}
    )
    assert refused.status_code == 403


def test_pin_is_one_click_and_get_changes_nothing(room):
    client = login_client(room.council.secretariat)
    url = reverse("forum:thread_moderate", args=[room.thread.pk, "pin"])
    client.get(url)
    room.thread.refresh_from_db()
    assert not room.thread.is_pinned
    client.post(url)
    room.thread.refresh_from_db()
    assert room.thread.is_pinned


def test_move_shows_a_confirmation_before_moving(room):
    client = login_client(room.council.secretariat)
    url = reverse("forum:thread_move", args=[room.thread.pk])
    page = client.post(url, {"board": room.private_board.pk})
    assert "移動の確認" in page.content.decode() or "確認" in page.content.decode()
    assert "役員会限定" in page.content.decode()
    room.thread.refresh_from_db()
    assert room.thread.board == room.board
    client.post(url, {"board": room.private_board.pk, "confirm": "1"})
    room.thread.refresh_from_db()
    assert room.thread.board == room.private_board


def test_hidden_post_shows_the_reason_instead_of_its_text(room):
    login_client(room.council.secretariat).post(
        reverse("forum:post_hide", args=[room.reply.pk]), {"reason": "個人情報を含むため"}
    )
    html = (
        login_client(room.council.staff)
        .get(reverse("forum:thread", args=[room.thread.pk]))
        .content.decode()
    )
    assert "個人情報を含むため" in html
    assert "当市では監査の指摘" not in html


def test_member_reports_a_post_and_the_secretariat_sees_it(room):
    login_client(room.council.staff).post(
        reverse("forum:report", args=[room.reply.pk]), {"reason": "誹謗中傷です"}
    )
    html = login_client(room.council.secretariat).get(reverse("forum:reports")).content.decode()
    assert "誹謗中傷です" in html


def test_opening_a_thread_marks_it_read_and_the_feed_follows(room):
    staff = login_client(room.council.staff)
    home = staff.get(reverse("home")).content.decode()
    assert "LGWAN接続系のメール無害化について" in home
    assert "未読1件" in home
    staff.get(reverse("forum:thread", args=[room.thread.pk]))
    home = staff.get(reverse("home")).content.decode()
    assert "未読1件" not in home
    notifications = staff.get(reverse("notifications")).content.decode()
    assert "LGWAN接続系のメール無害化について" in notifications


def test_notification_list_shows_followed_board_news_without_mail(room):
    from renkei.forum.services import preference_set

    preference_set(user=room.council.outsider, delivery="none")
    follow_set(user=room.council.outsider, board=room.board, following=True)
    html = login_client(room.council.outsider).get(reverse("notifications")).content.decode()
    assert "LGWAN接続系のメール無害化について" in html
    assert "未読" in html


def test_index_shows_counts_this_year_and_in_total(room):
    html = login_client(room.council.staff).get(reverse("forum:index")).content.decode()
    assert "今年度の投稿件数は<strong>2件</strong>（総投稿数：2件）" in html


def test_index_search_box_is_the_shared_filter_bar_sent_to_the_search_page(room):
    html = login_client(room.council.staff).get(reverse("forum:index")).content.decode()

    assert (
        f'<form method="get" action="{reverse("forum:search")}" class="filters" role="search"'
        ' aria-label="電子会議室の検索">'
    ) in html


def test_bad_search_input_is_answered_in_japanese(room):
    html = login_client(room.council.staff).get(reverse("forum:search") + "?q=").content.decode()
    assert "キーワードを入力してください" in html


def test_search_shows_the_newest_matches_and_says_when_there_were_more(room, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_MAX_RESULTS", 2)
    for index in range(2):
        post_create(thread=room.thread, body=f"監査の報告{index}", by=room.council.board)

    html = (
        login_client(room.council.staff).get(reverse("forum:search") + "?q=監査").content.decode()
    )

    # Three posts hold 監査 (the room's reply and the two above): the newest two are shown.
    assert "2件以上見つかりました。新しいものから2件を表示します。" in html
    assert "監査の報告1" in html and "監査の報告0" in html
    assert "当市では監査の指摘" not in html


def test_search_below_the_limit_counts_every_match(room):
    html = (
        login_client(room.council.staff).get(reverse("forum:search") + "?q=監査").content.decode()
    )

    assert "<p>1件見つかりました。</p>" in html
    assert "当市では監査の指摘" in html


def test_title_filter_pages_its_first_matches_and_says_when_there_were_more(room, monkeypatch):
    monkeypatch.setattr(selectors, "FILTER_MAX_RESULTS", 2)
    monkeypatch.setattr(selectors, "THREADS_PER_PAGE", 1)
    for index in range(3):
        thread_create(
            board=room.board, title=f"入札の相談{index}", body="本文", by=room.council.staff
        )
    client = login_client(room.council.staff)
    url = reverse("forum:board", args=[room.board.pk])

    first = client.get(url, {"q": "入札"}).content.decode()
    second = client.get(url, {"q": "入札", "page": 2}).content.decode()

    assert "1 / 2 ページ（全2件以上）" in first and "入札の相談2" in first
    assert "入札の相談1" in second and "入札の相談0" not in second
    assert "LGWAN接続系" not in first + second


def test_a_hidden_thread_is_left_out_of_a_members_board_page(room):
    thread_moderate(thread=room.thread, action="hide", by=room.council.secretariat)
    url = reverse("forum:board", args=[room.board.pk])

    assert "LGWAN接続系" not in login_client(room.council.staff).get(url).content.decode()
    assert "LGWAN接続系" in login_client(room.council.secretariat).get(url).content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("query", [{}, {"q": "無害化"}])
def test_a_board_page_finds_its_threads_on_the_board_order_index(room, query):
    # `is_hidden = false`, not `NOT is_hidden`: else SQLite uses the index's first column only
    # and sorts every thread of the board for a page of 30.
    with CaptureQueriesContext(connection) as captured:
        login_client(room.council.staff).get(reverse("forum:board", args=[room.board.pk]), query)
    plans = []
    with connection.cursor() as cursor:
        for executed in captured.captured_queries:
            if 'FROM "forum_thread"' in executed["sql"] and "ORDER BY" in executed["sql"]:
                cursor.execute("EXPLAIN QUERY PLAN " + executed["sql"])
                plans += [row[-1] for row in cursor.fetchall()]
    assert any("forum_thread_board_order (board_id=? AND is_hidden=?)" in p for p in plans), plans


def _grow(room, *, threads: int, posts: int) -> None:
    council = room.council
    for index in range(threads):
        thread_create(board=room.board, title=f"話題{index}", body="本文", by=council.outsider)
    for index in range(posts):
        post_create(
            thread=room.thread,
            body=f"返信{index}",
            by=council.board,
            files=[SimpleUploadedFile(f"資料{index}.pdf", PDF)] if index % 3 == 0 else [],
        )


PAGES = [
    lambda room: reverse("forum:index"),
    lambda room: reverse("forum:board", args=[room.board.pk]),
    lambda room: reverse("forum:board", args=[room.board.pk]) + "?unread=on",
    lambda room: reverse("forum:board", args=[room.board.pk]) + "?q=話題",
    lambda room: reverse("forum:thread", args=[room.thread.pk]),
    lambda room: reverse("forum:search") + "?q=返信",
    lambda room: reverse("forum:mine"),
    lambda room: reverse("home"),
    lambda room: reverse("notifications"),
]


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_pages_make_the_same_number_of_queries_as_the_room_grows(room, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_client(room.council.board)
    _grow(room, threads=1, posts=1)
    url = PAGES[page](room)
    client.get(url)  # the read marker is written on the first visit
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(room, threads=40, posts=60)
    client.get(PAGES[page](room))
    with CaptureQueriesContext(connection) as large:
        assert client.get(PAGES[page](room)).status_code == 200
    assert len(large) <= len(small), [q["sql"] for q in large.captured_queries]


def test_titles_and_names_are_escaped_on_every_list_and_the_thread(room):
    thread = thread_create(
        board=room.board,
        title="<b>監査</b>の件",
        body="<script>x</script>監査",
        by=room.council.staff,
    )
    Post.objects.filter(thread=thread).update(author_name="<i>小林</i>")
    client = login_client(room.council.staff)

    pages = [
        client.get(reverse("forum:board", args=[room.board.pk])).content.decode(),
        client.get(reverse("forum:mine")).content.decode(),
        client.get(reverse("forum:thread", args=[thread.pk])).content.decode(),
        client.get(reverse("forum:search") + "?q=監査").content.decode(),
    ]

    for html in pages:
        assert "&lt;b&gt;監査&lt;/b&gt;の件" in html or "&lt;i&gt;小林&lt;/i&gt;" in html
        assert "<b>監査</b>" not in html and "<i>小林</i>" not in html and "<script>x" not in html


def test_search_shows_the_first_120_characters_of_a_long_post(room):
    post_create(thread=room.thread, body="監査" + "あ" * 300, by=room.council.board)

    html = (
        login_client(room.council.staff).get(reverse("forum:search") + "?q=監査").content.decode()
    )

    assert "監査" + "あ" * 117 + "…" in html
    assert "あ" * 119 not in html
