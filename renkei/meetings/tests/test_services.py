"""Meeting rules: numbering, replies, attendance line, plan, minutes lifecycle and versions."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from renkei.audit.models import AuditEvent
from renkei.directory.models import Organization, OrganizationKind, Person
from renkei.mailer.models import OutboxMessage
from renkei.meetings import selectors, services
from renkei.meetings.models import (
    InviteeCapacity,
    Material,
    MaterialSeries,
    MeetingKind,
    MinutesStatus,
    MinutesVersion,
    Publication,
    Reply,
    Response,
)
from renkei.meetings.services import MeetingError
from renkei.testing import make_contact
from renkei.workflow.transitions import TransitionError


def _page(user, meeting) -> str:
    """Return the meeting page as the user sees it."""
    client = Client()
    client.force_login(user)
    return client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


def _host() -> str:
    return urlsplit(settings.RENKEI["BASE_URL"]).hostname


def test_materials_are_numbered_per_series(meetings, pdf_upload):
    by = meetings.council.secretariat
    m = meetings.board_meeting
    second = services.material_add(meeting=m, by=by, title="事業実施", file=pdf_upload())
    extra = services.material_add(
        meeting=m, by=by, title="当日配付", file=pdf_upload(), series=MaterialSeries.ADDITIONAL
    )
    third = services.material_add(meeting=m, by=by, title="日程", file=pdf_upload())
    assert [meetings.material.label, second.label, third.label, extra.label] == [
        "資料1", "資料2", "資料3", "追加資料1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("shiryou.xlsm", b"PK..", "macro"),
        ("shiryou.exe", b"MZ", "extension"),
        ("shiryou.pdf", b"not a pdf", "content"),
        ("shiryou.pdf", b"", "empty"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(meetings, name, content, code):
    before = Material.objects.count()
    with pytest.raises(MeetingError) as error:
        services.material_add(
            meeting=meetings.board_meeting,
            by=meetings.council.secretariat,
            title="x",
            file=SimpleUploadedFile(name, content),
        )
    assert error.value.field == "file"
    assert error.value.__cause__.code == code  # core/files.py's check, named on the file
    assert Material.objects.count() == before


def test_a_board_member_replies_deputy_with_a_name(meetings):
    board = meetings.council.board
    with pytest.raises(MeetingError, match="代理で出席する方の氏名"):
        services.reply_record(meeting=meetings.board_meeting, by=board, reply=Reply.DEPUTY)
    response = services.reply_record(
        meeting=meetings.board_meeting, by=board, reply=Reply.DEPUTY, deputy_name="深川 二郎"
    )
    assert (response.reply, response.deputy_name, response.category) == (
        Reply.DEPUTY, "深川 二郎", "役員",
    )  # fmt: skip
    services.reply_record(meeting=meetings.board_meeting, by=board, reply=Reply.ATTEND)
    response.refresh_from_db()
    assert (response.reply, response.deputy_name) == (Reply.ATTEND, "")


def test_someone_not_invited_cannot_reply(meetings):
    with pytest.raises(MeetingError, match="招集されていない"):
        services.reply_record(
            meeting=meetings.board_meeting, by=meetings.council.outsider, reply=Reply.ATTEND
        )
    assert not Response.objects.filter(person=meetings.council.outsider.person).exists()


def _people(count: int, prefix: str) -> list[Person]:
    people = []
    for n in range(count):
        org = Organization.objects.create(name=f"{prefix}{n}市", kind=OrganizationKind.CITY)
        people.append(Person.objects.create(name=f"{prefix}{n}", organization=org))
    return people


def test_attendance_line_is_written_as_in_seed_004(meetings):
    by = meetings.council.secretariat
    meeting = meetings.members_meeting
    board = _people(10, "役員")
    exchange = _people(9, "参加")
    services.invitees_add(meeting=meeting, by=by, people=board, category="役員")
    services.invitees_add(meeting=meeting, by=by, people=exchange, category="情報交換会議出席者")
    services.invitees_add(
        meeting=meeting,
        by=by,
        people=[meetings.council.observer.person],
        capacity=InviteeCapacity.OBSERVER,
    )
    absent = Person.objects.create(name="欠席者", organization=board[0].organization)
    services.invitees_add(meeting=meeting, by=by, people=[absent], category="役員")
    ids = set(
        Response.objects.filter(meeting=meeting).exclude(person=absent).values_list("pk", flat=True)
    )
    line = services.attendance_record(
        meeting=meeting, by=by, attended_ids=ids, audience_count=2, secretariat_attended=True
    )
    assert line == (
        "役員10名(10団体)、情報交換会議出席者9名(9団体)、総務省(オブザーバ)、傍聴(2名)及び事務局"
    )


def test_attendance_line_of_one_group_as_in_seed_001(meetings):
    by = meetings.council.secretariat
    meeting = meetings.members_meeting
    services.invitees_add(meeting=meeting, by=by, people=_people(6, "役員"), category="役員")
    ids = set(Response.objects.filter(meeting=meeting).values_list("pk", flat=True))
    line = services.attendance_record(
        meeting=meeting, by=by, attended_ids=ids, audience_count=0, secretariat_attended=True
    )
    assert line == "役員6名(6団体)、事務局"


def test_fiscal_plan_counts_held_scheduled_and_missing(meetings):
    by = meetings.council.secretariat
    services.requirement_set(
        by=by, fiscal_year=2026, kind=MeetingKind.BOARD, required_count=3, basis="細則第2条"
    )
    now = timezone.now()
    services.meeting_create(
        by=by, title="第2回役員会", kind=MeetingKind.BOARD, starts_at=now + dt.timedelta(days=30)
    )
    row = selectors.fiscal_plan(fiscal_year=2026)[0]
    held_before = now > meetings.board_meeting.starts_at
    assert (row.body, row.kind_label, row.required, row.basis) == ("本会", "役員会", 3, "細則第2条")
    assert row.held + row.scheduled == 2
    assert row.held == (1 if held_before else 0)
    assert row.missing == 1


def test_invitations_go_to_the_organizations_notification_addresses(meetings):
    council = meetings.council
    make_contact(user=council.board)
    council.observer_org.notification_email = "soumu-box@example.go.jp"
    council.observer_org.save()
    count = services.invitations_send(meeting=meetings.board_meeting, by=council.secretariat)
    addresses = set(
        OutboxMessage.objects.filter(topic=f"meeting:{meetings.board_meeting.pk}").values_list(
            "to_email", flat=True
        )
    )
    assert count == 2
    assert addresses == {council.board.person.email, "soumu-box@example.go.jp"}
    body = OutboxMessage.objects.filter(to_email="soumu-box@example.go.jp").get().body_text
    assert f"/meetings/{meetings.board_meeting.pk}/" in body
    assert "（.ics）を添付" in body


def _received_event(received):
    """Return the VEVENT of the text/calendar part of a received mail, parsed by icalendar."""
    [part] = [
        p for p in received.parsed().iter_attachments() if p.get_content_type() == "text/calendar"
    ]
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_carries_the_meeting_as_an_ics_request(
    meetings, smtp_server, django_capture_on_commit_callbacks
):
    council = meetings.council
    make_contact(user=council.board)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meetings.board_meeting, by=council.secretariat)

    [received] = [r for r in smtp_server.received if r.rcpt_tos == [council.board.person.email]]
    calendar, event = _received_event(received)
    assert str(calendar["METHOD"]) == "REQUEST"
    # What the meeting page shows.
    page = _page(council.board, meetings.board_meeting)
    assert str(event["LOCATION"]) == "地方自治情報センター センター会議室"
    assert str(event["LOCATION"]) in page
    assert event.decoded("DTSTART") == meetings.board_meeting.starts_at
    assert "令和8年6月20日" in page and "12:00" in page
    assert str(event["SUMMARY"]) == "令和8年度 役員会"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert event["UID"] == f"meeting-{meetings.board_meeting.pk}@{_host()}"


def test_a_moved_meeting_mails_a_change_notice_whose_ics_updates_the_same_entry(
    meetings, smtp_server, django_capture_on_commit_callbacks
):
    council = meetings.council
    meeting = meetings.board_meeting
    make_contact(user=council.board)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, by=council.secretariat)
    new_start = meeting.starts_at + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting, by=council.secretariat, starts_at=new_start, venue="東京ビッグサイト"
        )

    mine = [r for r in smtp_server.received if r.rcpt_tos == [council.board.person.email]]
    assert len(mine) == 2
    _, first = _received_event(mine[0])
    _, second = _received_event(mine[1])
    assert mine[1].parsed()["Subject"].endswith("日時・場所の変更について")
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second.decoded("DTSTART") == new_start
    assert str(second["LOCATION"]) == "東京ビッグサイト"
    assert "東京ビッグサイト" in _page(council.board, meeting)


def test_a_change_before_the_invitations_or_of_the_notes_mails_nothing(meetings):
    by = meetings.council.secretariat
    make_contact(user=meetings.council.board)
    services.meeting_update(meeting=meetings.board_meeting, by=by, venue="第2会議室")
    assert not OutboxMessage.objects.exists()
    services.invitations_send(meeting=meetings.board_meeting, by=by)
    sent = OutboxMessage.objects.count()
    services.meeting_update(meeting=meetings.board_meeting, by=by, notes="資料を持参してください。")
    assert OutboxMessage.objects.count() == sent


def _minutes_text() -> str:
    return "\n".join(
        [
            "令和8年度 役員会 会議録",
            "日時",
            "令和8年6月20日 12:00~13:00",
            "開会",
            "事務局より開会を宣した。",
            "議題",
            "本会の概要について",
            "事務局から、資料1に基づき説明が行われ、原案のとおり承認された。",
            "(深川市)",
            "会員数は何団体か。",
            "(事務局)",
            "1,403団体である。",
            "閉会",
            "散会した。",
        ]
    )


def test_minutes_lifecycle_locks_confirmed_text_and_keeps_versions(meetings):
    by = meetings.council.secretariat
    minutes = meetings.minutes
    services.reply_record(meeting=meetings.board_meeting, by=meetings.council.board, reply="attend")
    services.minutes_text_save(minutes=minutes, by=by, text=_minutes_text())
    services.minutes_transition(minutes=minutes, by=by, name="circulate")
    assert minutes.status == MinutesStatus.CIRCULATED
    assert OutboxMessage.objects.filter(
        topic=f"minutes:{minutes.pk}", to_email=meetings.council.board.person.email
    ).exists()
    with pytest.raises(MeetingError, match="下書きの会議録だけ"):
        services.minutes_text_save(minutes=minutes, by=by, text=_minutes_text())
    services.comment_add(minutes=minutes, by=meetings.council.board, text="会員数の表記を確認")
    services.minutes_transition(minutes=minutes, by=by, name="confirm")
    first = MinutesVersion.objects.get(minutes=minutes)
    assert (first.number, first.reason) == (1, "初版")
    assert "1,403団体である。" in first.text
    with pytest.raises(MeetingError, match="訂正の理由"):
        services.minutes_transition(minutes=minutes, by=by, name="correct")
    services.minutes_transition(minutes=minutes, by=by, name="correct", reason="団体数の誤り")
    assert (minutes.status, minutes.version) == (MinutesStatus.DRAFT, 2)
    services.minutes_text_save(
        minutes=minutes, by=by, text=_minutes_text().replace("1,403団体", "1,404団体")
    )
    services.minutes_transition(minutes=minutes, by=by, name="confirm")
    second = MinutesVersion.objects.get(minutes=minutes, number=2)
    assert second.reason == "団体数の誤り"
    assert "1,404団体である。" in second.text and "1,403団体である。" in first.text
    changes = AuditEvent.objects.filter(target_id=str(minutes.pk), action="status_changed")
    assert changes.count() == 4


def test_a_stale_confirm_loses_to_the_first(meetings):
    by = meetings.council.secretariat
    stale = type(meetings.minutes).objects.get(pk=meetings.minutes.pk)
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    with pytest.raises(TransitionError):
        services.minutes_transition(minutes=stale, by=by, name="confirm")
    assert MinutesVersion.objects.filter(minutes=meetings.minutes).count() == 1


def test_only_confirmed_minutes_are_published(meetings):
    by = meetings.council.secretariat
    with pytest.raises(MeetingError, match="確定した会議録だけ"):
        services.minutes_publish(minutes=meetings.minutes, by=by, publication=Publication.PUBLIC)
    services.minutes_transition(minutes=meetings.minutes, by=by, name="confirm")
    services.minutes_publish(minutes=meetings.minutes, by=by, publication=Publication.PUBLIC)
    assert meetings.minutes.publication == Publication.PUBLIC


def test_a_new_draft_starts_from_the_meeting(meetings):
    sections = selectors.minutes_sections(minutes=meetings.minutes)
    assert [s.heading for s in sections] == [
        "開会", "挨拶", "議題", "本会の概要について", "その他", "閉会",
    ]  # fmt: skip
    assert sections[3].body == "事務局から、資料1に基づき説明が行われた。"
    assert meetings.minutes.held_on_text.startswith("令和8年6月20日 12:00~13:00")
    assert meetings.minutes.materials_text == "資料1 本会の概要"
