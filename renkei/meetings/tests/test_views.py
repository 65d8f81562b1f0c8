"""Pages and files: the whole cycle through views, .ics and .docx content, query counts."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from icalendar import Calendar

from renkei.directory.models import Organization, OrganizationKind, Person
from renkei.meetings import services
from renkei.meetings.models import (
    AgendaItem,
    CalendarFeed,
    MaterialSeries,
    MinutesStatus,
    Response,
    Section,
    Statement,
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_secretariat_schedules_a_meeting_through_the_form(meetings):
    client = _client(meetings.council.secretariat)
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "第2回役員会",
            "kind": "board",
            "date": "令和8年11月1日",
            "start_time": "13:00",
            "end_time": "14:00",
            "venue": "東京ビッグサイト",
            "scope": "board",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "第2回役員会" in page and "令和8年11月1日" in page


def test_a_meeting_whose_end_is_before_its_start_is_refused(meetings):
    client = _client(meetings.council.secretariat)
    response = client.post(
        reverse("meetings:create"),
        {"title": "x", "kind": "board", "date": "令和8年11月1日", "start_time": "13:00",
         "end_time": "12:00", "scope": "board"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "終了時刻は開始時刻より後" in response.content.decode()


def test_an_unknown_organization_in_the_invitee_list_is_named(meetings):
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:invitees", args=[meetings.board_meeting.pk])
    response = client.post(url, {"organizations": "和木町\n存在しない村", "capacity": "member"})
    assert "見つからない団体があります：存在しない村" in response.content.decode()


def test_a_board_member_replies_on_the_page_and_sees_the_reply(meetings):
    client = _client(meetings.council.board)
    url = reverse("meetings:reply", args=[meetings.board_meeting.pk])
    client.post(url, {"reply": "deputy", "deputy_name": "深川 二郎"})
    page = client.get(reverse("meetings:detail", args=[meetings.board_meeting.pk]))
    assert "代理：深川 二郎" in page.content.decode()


def test_once_attendance_is_recorded_the_page_offers_no_reply_and_says_why(meetings):
    meeting = meetings.board_meeting
    client = _client(meetings.council.board)
    detail = reverse("meetings:detail", args=[meeting.pk])
    reply_url = reverse("meetings:reply", args=[meeting.pk])
    assert f'action="{reply_url}"' in client.get(detail).content.decode()

    services.attendance_record(
        meeting=meeting,
        by=meetings.council.secretariat,
        attended_ids=set(),
        audience_count=0,
        secretariat_attended=True,
    )

    page = client.get(detail).content.decode()
    assert f'action="{reply_url}"' not in page
    assert "出席の記録が済んだ会議には回答できません。事務局へご連絡ください。" in page


def test_ics_holds_the_meeting_as_on_the_page(meetings):
    client = _client(meetings.council.board)
    body = client.get(reverse("meetings:ics", args=[meetings.board_meeting.pk])).content
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert calendar["VERSION"] == "2.0" and len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "令和8年度 役員会"
    assert str(event["LOCATION"]) == "地方自治情報センター センター会議室"
    assert event.decoded("DTSTART") == meetings.board_meeting.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(hours=1)


def test_the_personal_feed_lists_the_invited_meetings_only(meetings):
    client = _client(meetings.council.board)
    client.post(reverse("meetings:my_calendar"))
    token = CalendarFeed.objects.get(user=meetings.council.board).token
    page = client.get(reverse("meetings:my_calendar")).content.decode()
    assert token in page
    body = Client().get(reverse("meetings:feed", args=[token])).content
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == ["令和8年度 役員会"]
    # A new address replaces the old one.
    client.post(reverse("meetings:my_calendar"))
    assert Client().get(reverse("meetings:feed", args=[token])).status_code == 404


def test_a_suspended_account_feed_stops(meetings):
    board = meetings.council.board
    feed = services.feed_issue(by=board)
    board.is_active = False
    board.save()
    assert Client().get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_pasted_minutes_are_read_and_unplaced_lines_shown(meetings):
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:minutes_edit", args=[meetings.board_meeting.pk])
    text = "\n".join(
        ["本文へジャンプ", "役員会 会議録", "日時", "令和8年6月20日", "開会", "開会した。",
         "議題", "会費について", "事務局から説明が行われ、原案のとおり承認された。",
         "(多治見市)", "会費はいくらか。", "閉会", "散会した。"]
    )  # fmt: skip
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "読み取れなかった行（1行）" in page and "本文へジャンプ" in page
    minutes_page = client.get(reverse("meetings:minutes", args=[meetings.board_meeting.pk]))
    html = minutes_page.content.decode()
    assert "(多治見市)" in html and "結果：原案のとおり承認" in html


def test_editing_confirmed_minutes_is_refused_on_the_page(meetings):
    services.minutes_transition(
        minutes=meetings.minutes, by=meetings.council.secretariat, name="confirm"
    )
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:minutes_edit", args=[meetings.board_meeting.pk])
    response = client.post(url, {"text": "役員会 会議録\n開会\n改ざん"})
    assert response.status_code == 302
    assert not Section.objects.filter(body="改ざん").exists()


def test_steps_have_a_confirmation_page_and_a_get_changes_nothing(meetings):
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:minutes_step", args=[meetings.board_meeting.pk, "confirm"])
    page = client.get(url).content.decode()
    assert "確定した会議録は編集できなくなり" in page
    meetings.minutes.refresh_from_db()
    assert meetings.minutes.status == MinutesStatus.DRAFT
    client.post(url)
    meetings.minutes.refresh_from_db()
    assert meetings.minutes.status == MinutesStatus.CONFIRMED


def test_versions_are_compared(meetings):
    by = meetings.council.secretariat
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    services.minutes_transition(minutes=meetings.minutes, by=by, name="correct", reason="誤字")
    services.minutes_text_save(
        minutes=meetings.minutes, by=by, text="令和8年度 役員会 会議録\n開会\n訂正した本文。\n"
    )
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    client = _client(meetings.council.board)
    url = reverse("meetings:minutes_versions", args=[meetings.board_meeting.pk])
    page = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "誤字" in page and "+訂正した本文。" in page


def test_docx_holds_what_the_page_shows(meetings):
    by = meetings.council.secretariat
    services.minutes_text_save(
        minutes=meetings.minutes,
        by=by,
        text="\n".join(
            ["令和8年度 役員会 会議録", "日時", "令和8年6月20日 12:00~13:00", "開会",
             "事務局より開会を宣した。", "議題", "本会の概要について",
             "事務局から、資料1に基づき説明が行われ、原案のとおり承認された。",
             "(多治見市)", "本会の会員は全市町村ではないのか。", "閉会", "散会した。"]
        ),
    )  # fmt: skip
    client = _client(meetings.council.board)
    page = client.get(reverse("meetings:minutes", args=[meetings.board_meeting.pk]))
    docx = client.get(reverse("meetings:minutes_docx", args=[meetings.board_meeting.pk]))
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[0] == "令和8年度 役員会 会議録"
    for text in ("日時", "令和8年6月20日 12:00~13:00", "本会の概要について", "(多治見市)",
                 "本会の会員は全市町村ではないのか。", "閉会"):  # fmt: skip
        assert text in paragraphs
        assert text in page.content.decode()


def _big_meeting(meetings, *, attendees: int, items: int, statements: int):
    """Grow the board meeting to many attendees, agenda items and statements."""
    by = meetings.council.secretariat
    meeting = meetings.board_meeting
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"団体{n}", kind=OrganizationKind.CITY) for n in range(attendees)]
    )
    people = Person.objects.bulk_create(
        [Person(name=f"出席者{n}", organization=o) for n, o in enumerate(orgs)]
    )
    Response.objects.bulk_create(
        [Response(meeting=meeting, person=p, organization_id=p.organization_id, reply="attend",
                  category="役員") for p in people]
    )  # fmt: skip
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=n + 2, title=f"議題{n}") for n in range(items)]
    )
    for n in range(min(items, 5)):
        item = AgendaItem.objects.filter(meeting=meeting).order_by("-position")[n]
        services.material_add(
            meeting=meeting, by=by, title=f"資料{n}", file=meetings_pdf(),
            series=MaterialSeries.MAIN, agenda_item=item,
        )  # fmt: skip
    section = Section.objects.filter(minutes=meetings.minutes, kind="item").first()
    Statement.objects.bulk_create(
        [Statement(section=section, position=n, speaker="多治見市", text="発言" * 40)
         for n in range(statements)]
    )  # fmt: skip


def meetings_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")


@pytest.mark.parametrize("name", ["detail", "minutes", "minutes_docx"])
def test_query_counts_do_not_grow_with_the_meeting(meetings, name, django_assert_max_num_queries):
    client = _client(meetings.council.secretariat)
    url = reverse(f"meetings:{name}", args=[meetings.board_meeting.pk])
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _big_meeting(meetings, attendees=100, items=30, statements=300)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    if name == "detail":
        assert "出席者99" in response.content.decode()
        assert len(response.content) < 150_000


def test_meeting_list_is_paged_with_constant_queries(meetings, django_assert_max_num_queries):
    by = meetings.council.secretariat
    start = timezone.now()
    for n in range(60):
        services.meeting_create(by=by, title=f"会議{n}", kind="committee", starts_at=start)
    client = _client(meetings.council.staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:list")).content.decode()
    assert "（全62件）" in page  # 60 new, the members meeting, the one for 当別町


def test_people_are_invited_by_user_id_or_address_and_unknown_ones_named(meetings):
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:invitees", args=[meetings.private_meeting.pk])
    response = client.post(url, {"people": "waki-staff\nnobody@example.jp", "capacity": "member"})
    assert "見つからない人がいます：nobody@example.jp" in response.content.decode()
    assert not Response.objects.filter(meeting=meetings.private_meeting).exists()
    client.post(
        url, {"people": f"waki-staff\n{meetings.council.board.email}", "capacity": "member"}
    )
    invited = set(
        Response.objects.filter(meeting=meetings.private_meeting).values_list(
            "person__name", flat=True
        )
    )
    assert invited == {"和木 三郎", "深川 一郎"}


def test_an_agenda_item_pointing_at_a_missing_inquiry_is_refused(meetings):
    client = _client(meetings.council.secretariat)
    url = reverse("meetings:agenda_add", args=[meetings.board_meeting.pk])
    response = client.post(url, {"title": "照会結果について", "inquiry_id": "99999"})
    assert "番号99999の照会はありません。" in response.content.decode()
    assert not AgendaItem.objects.filter(title="照会結果について").exists()


def test_statements_are_escaped_on_the_page(meetings):
    section = Section.objects.filter(minutes=meetings.minutes, kind="item").first()
    Statement.objects.create(
        section=section, position=1, speaker="<b>市</b>", text="<script>alert(1)</script>"
    )
    client = _client(meetings.council.secretariat)
    html = client.get(reverse("meetings:minutes", args=[meetings.board_meeting.pk])).content
    assert b"<script>alert(1)</script>" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "(&lt;b&gt;市&lt;/b&gt;)".encode() in html


def test_agenda_titles_presenters_and_materials_are_escaped_on_the_page(meetings, pdf_upload):
    by = meetings.council.secretariat
    meeting = meetings.board_meeting
    item = services.agenda_item_add(
        meeting=meeting, by=by, title="<script>alert(1)</script>", presenter="<b>市</b>"
    )
    services.material_add(
        meeting=meeting, by=by, title="<i>資料</i>", file=pdf_upload(), agenda_item=item
    )
    services.material_add(meeting=meeting, by=by, title="<u>参考</u>", file=pdf_upload())
    html = _client(by).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "（説明：&lt;b&gt;市&lt;/b&gt;）" in html
    assert "資料2 &lt;i&gt;資料&lt;/i&gt;</a>" in html
    assert "資料3 &lt;u&gt;参考&lt;/u&gt;</a>" in html
    assert f'href="/meetings/{meeting.pk}/materials/{meetings.material.pk}/"' in html


def test_unknown_kind_filter_is_refused_in_japanese_and_the_list_stays_whole(meetings):
    client = _client(meetings.council.secretariat)
    page = client.get(reverse("meetings:list"), {"kind": "party", "fy": "2026"}).content.decode()
    assert "正しく選択してください。 party は候補にありません。" in page
    assert "令和8年度 役員会" in page and "情報交換会議" in page


def test_non_number_year_filter_of_resolutions_is_refused_and_the_list_stays_whole(meetings):
    by = meetings.council.secretariat
    services.minutes_text_save(
        minutes=meetings.minutes,
        by=by,
        text="令和8年度 役員会 会議録\n議題\n本会の概要について\n原案のとおり承認された。\n",
    )
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    client = _client(meetings.council.board)
    page = client.get(reverse("meetings:resolutions"), {"fy": "R8"}).content.decode()
    assert "正しく選択してください。 R8 は候補にありません。" in page
    assert "本会の概要について" in page


def test_unknown_version_to_compare_is_refused_in_japanese_and_nothing_compared(meetings):
    by = meetings.council.secretariat
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    services.minutes_transition(minutes=meetings.minutes, by=by, name="correct", reason="誤字")
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    client = _client(meetings.council.board)
    url = reverse("meetings:minutes_versions", args=[meetings.board_meeting.pk])
    page = client.get(url, {"a": "1", "b": "7"}).content.decode()
    assert "正しく選択してください。 7 は候補にありません。" in page
    assert "第2版" in page and "違い" not in page
