"""Demo meetings: the two meetings of seeds 001 and 004 with their real minutes, and the next 役員会."""

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.fiscal_year import fiscal_year_of
from renkei.directory.models import Group, Organization
from renkei.inquiries.models import Inquiry
from renkei.meetings import services
from renkei.meetings.models import InviteeCapacity, MeetingKind, MeetingScope, Response

MINUTES_DIR = Path(__file__).parent / "minutes"
AGENDA_001 = [
    ("本会の概要について", "本会の概要"),
    ("令和8年度 事業実施について", "令和8年度事業計画（案）"),
    ("新旧役員会及び情報交換会議の開催日程について", "開催日程（案）"),
    ("情報交換会議の議題及び参加団体の選定方法について", "議題及び参加団体の選定方法（案）"),
]


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _past_meeting(
    *,
    by: User,
    board: Group,
    soumu: Organization,
    title: str,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    venue: str,
    scope: str,
    seed: str,
    publication: str,
    audience: int,
) -> None:
    meeting = services.meeting_create(
        by=by, title=title, kind=kind, starts_at=start, ends_at=end, venue=venue, scope=scope
    )
    services.invitees_add(meeting=meeting, by=by, group=board, category="役員")
    if kind == MeetingKind.EXCHANGE:
        services.invitees_add(
            meeting=meeting, by=by, organizations=[soumu], capacity=InviteeCapacity.OBSERVER
        )
    ids = set(Response.objects.filter(meeting=meeting).values_list("pk", flat=True))
    services.attendance_record(
        meeting=meeting, by=by, attended_ids=ids, audience_count=audience, secretariat_attended=True
    )
    minutes = services.minutes_create(meeting=meeting, by=by)
    text = next(MINUTES_DIR.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    services.minutes_text_save(minutes=minutes, by=by, text=text)
    services.minutes_transition(minutes=minutes, by=by, name="confirm")
    services.minutes_publish(minutes=minutes, by=by, publication=publication)


def demo_meetings_load(*, secretariat: User) -> None:
    """Create the demo meetings, minutes, plan and the upcoming board meeting."""
    by = secretariat
    board = Group.objects.get(name="役員会")
    soumu = Organization.objects.get(name="総務省")
    _past_meeting(
        by=by,
        board=board,
        soumu=soumu,
        title="平成23年度 役員会",
        kind=MeetingKind.BOARD,
        start=_at(2011, 6, 20, 12),
        end=_at(2011, 6, 20, 13),
        venue="地方自治情報センター センター会議室",
        scope=MeetingScope.BOARD,
        seed="001",
        publication="public",
        audience=0,
    )
    _past_meeting(
        by=by,
        board=board,
        soumu=soumu,
        title="平成24年度 情報交換会議",
        kind=MeetingKind.EXCHANGE,
        start=_at(2012, 10, 23, 14, 30),
        end=_at(2012, 10, 23, 17),
        venue="東京ビッグサイト西1ホール 商談室(2)",
        scope=MeetingScope.MEMBERS,
        seed="004",
        publication="members",
        audience=2,
    )
    today = timezone.localdate()
    soon = today + dt.timedelta(days=14)
    start = _at(soon.year, soon.month, soon.day, 13, 30)
    meeting = services.meeting_create(
        by=by,
        title="令和8年度 第1回役員会",
        kind=MeetingKind.BOARD,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1, minutes=30),
        venue="事務局 大会議室",
        online_url="https://meet.example.lg.jp/yakuinkai",
        scope=MeetingScope.BOARD,
        notes="会場参加が難しい場合はオンラインでご参加ください。",
    )
    services.invitees_add(meeting=meeting, by=by, group=board, category="役員")
    services.invitees_add(
        meeting=meeting, by=by, organizations=[soumu], capacity=InviteeCapacity.OBSERVER
    )
    for title, material in AGENDA_001:
        item = services.agenda_item_add(meeting=meeting, by=by, title=title, presenter="事務局")
        content = f"{material}\n\n（デモ用の配付資料です。）\n".encode()
        services.material_add(
            meeting=meeting,
            by=by,
            title=material,
            agenda_item=item,
            file=SimpleUploadedFile(f"{material}.txt", content, content_type="text/plain"),
        )
    # Seed 004 discussed an inquiry's results at the meeting: the board meeting's last item
    # points at the demo's inquiry on security policies, whose compiled results its page shows
    # to those who may see them (the secretariat, 深川市 as its requester).
    security = Inquiry.objects.filter(title="情報セキュリティポリシーについて").first()
    if security is not None:
        services.agenda_item_add(
            meeting=meeting,
            by=by,
            title="情報セキュリティポリシーに関する照会の結果について",
            presenter="深川市",
            inquiry_id=security.pk,
        )
    year = fiscal_year_of(today)
    for kind, count, basis in (
        (MeetingKind.BOARD, 2, "細則第2条（役員会は年2回以上開催する）"),
        (MeetingKind.GENERAL, 1, "会則第8条"),
        (MeetingKind.EXCHANGE, 1, "事業計画"),
    ):
        services.requirement_set(
            by=by, fiscal_year=year, kind=kind, required_count=count, basis=basis
        )
