"""Scale data for the council's other features: お知らせ, セミナー・研修, 会議, 電子会議室.

Stages of `renkei.devdata.scale.scale_load`, run after the polls with the same signature
(`(rng, build) -> row counts`). The rows are what the features' services would have written
(statuses, counters, denormalized names, folded search keys), but they are bulk-inserted:
a service call per post or registration would take the full set from minutes to hours.

Every time is an exact offset from `build.now` (or a fixed hour of a day at least two days
away from it), so the same seed makes the same decisions on any day; `activity_digest`
checks that, leaving the clock times out.
"""

import datetime as dt
import hashlib
import heapq
import itertools
import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone

from renkei.announcements.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementRead,
    AnnouncementStatus,
    AudienceKind,
    Delivery,
    DeliveryStatus,
)
from renkei.announcements.selectors import delivery_recipients
from renkei.core.fiscal_year import fiscal_year_of
from renkei.core.markdown import markdown_html
from renkei.core.text import fold_for_search
from renkei.devdata.demo_announcements import sent_messages
from renkei.devdata.scale import ANCHOR_YEAR, TOPICS, _Build, _bulk
from renkei.directory.models import GroupMember, Person
from renkei.directory.prefectures import PREFECTURES
from renkei.events.models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    Level,
    Registration,
    RegistrationStatus,
    Session,
    Theme,
)
from renkei.events.models import Delivery as EventDelivery
from renkei.forum.models import Board, Follow, ReadMarker, Thread
from renkei.forum.models import Post as ForumPost
from renkei.forum.services import post_search_text
from renkei.mailer.models import OutboxMessage
from renkei.meetings.models import (
    AgendaItem,
    Invitee,
    InviteeCapacity,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    MeetingScope,
    Reply,
    Response,
)

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# Years of history the features hold (the current fiscal year and the four before it).
YEARS = 5
# The first accounts (m00000, m00001, …) read, follow and are called like active members.
ACTIVE_READERS = 50
BIG_EVENT_TITLE = "自治体DX推進フェア（全国大会）"
BIG_BOARD_NAME = "標準化・ガバメントクラウド"
BIG_THREAD_TITLE = "【情報共有】標準準拠システムへの移行スケジュールと課題（随時更新）"


def _reiwa(year: int) -> str:
    return f"令和{year - 2018}年度"


def _day_at(moment: dt.datetime, hour: int, minute: int = 0) -> dt.datetime:
    """Return the local day of `moment` at a fixed time (callers keep it 2+ days from now)."""
    return timezone.localtime(moment).replace(hour=hour, minute=minute, second=0, microsecond=0)


@contextmanager
def _times_as_given(*models: type[Model]) -> Iterator[None]:
    """Keep the times set on the rows: auto_now(_add) fields would write the seeding's clock.

    bulk_create asks each field's pre_save, which returns now for those fields; for the
    length of the block they return the row's value instead. Restored even on error.
    """
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass(frozen=True)
class _Member:
    """A member's person with an account, as the stages need it."""

    person_id: int
    user_id: int
    organization_id: int
    name: str
    email: str
    department: str


@dataclass
class _Council:
    """Who is in the seeded council: members with accounts (m00000 first), names by id."""

    members: list[_Member]
    org_names: dict[int, str]
    # Organization id → its 団体管理者 (the organization's first account).
    representatives: dict[int, _Member]
    # Account id → shown name and organization, the secretariat's accounts included.
    names: dict[int, tuple[str, int | None]]

    @property
    def reader_ids(self) -> list[int]:
        return [m.user_id for m in self.members[:ACTIVE_READERS]]


def _council(build: _Build) -> _Council:
    listed = {o.pk for o in build.organizations}
    rows = (
        Person.objects.filter(user__isnull=False, organization_id__in=listed)
        .order_by("user__username")
        .values_list("pk", "user_id", "organization_id", "name", "email", "department__name")
    )
    members = [_Member(*row[:5], row[5] or "") for row in rows]
    firsts = {users[0] for users in build.users_by_org.values() if users}
    names = {
        user_id: (name, org_id)
        for user_id, name, org_id in Person.objects.filter(user__isnull=False).values_list(
            "user_id", "name", "organization_id"
        )
    }
    return _Council(
        members=members,
        org_names={o.pk: o.name for o in build.organizations},
        representatives={m.organization_id: m for m in members if m.user_id in firsts},
        names=names,
    )


# --- お知らせ ---------------------------------------------------------------------------------

# (title, body, kind); "{year}" is the fiscal year of the announcement.
ANNOUNCEMENT_TOPICS = [
    (
        "{year} 総会の開催について",
        "{year}総会を開催します。\n\n- 議題：事業報告、決算、事業計画、予算\n- 出欠は会議のページから回答してください。",
        AnnouncementKind.NOTICE,
    ),
    (
        "自治体情報システム標準化 説明会の開催について",
        "標準準拠システムへの移行について、最新の動向と各団体の事例を紹介する説明会を開催します。\n\n申込はセミナー・研修のページからお願いします。",
        AnnouncementKind.NOTICE,
    ),
    (
        "ガバメントクラウド移行に関する照会のお願い",
        "ガバメントクラウドへの移行状況について照会を開始しました。回答期限までにご回答ください。",
        AnnouncementKind.NOTICE,
    ),
    (
        "情報セキュリティ研修（初任者向け）の受講者募集",
        "新たに情報部門に配属された職員を対象に、情報セキュリティの基礎研修を行います。",
        AnnouncementKind.NOTICE,
    ),
    (
        "メールマガジン 電子会議室の新着投稿のご案内",
        "電子会議室に新しい投稿がありました。\n\n- 標準化・ガバメントクラウド\n- セキュリティ\n- 調達・契約",
        AnnouncementKind.NEWSLETTER,
    ),
    (
        "メールマガジン 生成AIの業務利用に関する事例紹介",
        "会員団体から寄せられた生成AIの業務利用の事例を紹介します。利用ルールの整備状況もあわせてご覧ください。",
        AnnouncementKind.NEWSLETTER,
    ),
    (
        "標的型攻撃メールに関する注意喚起",
        "自治体を装った標的型攻撃メールが確認されています。添付ファイルやリンクを開く前に、送信元を確認してください。",
        AnnouncementKind.NOTICE,
    ),
    (
        "会員専用コーナーの利用者情報の確認について",
        "年度替わりの人事異動に伴い、利用者情報の確認と更新をお願いします。",
        AnnouncementKind.NOTICE,
    ),
    (
        "調査コーナー「テレワークの実施状況」の結果",
        "テレワークの実施状況に関する調査の結果を掲載しました。",
        AnnouncementKind.NOTICE,
    ),
    (
        "{year} 会費の納入について",
        "{year}の会費の納入をお願いします。請求書は各団体の連絡窓口あてに送付しました。",
        AnnouncementKind.NOTICE,
    ),
    (
        "役員会の開催について",
        "役員会を開催します。資料は会議のページに掲載しています。",
        AnnouncementKind.NOTICE,
    ),
    (
        "システム保守のため会員専用コーナーを一時停止します",
        "保守作業のため、土曜日の9時から12時まで会員専用コーナーを停止します。",
        AnnouncementKind.NOTICE,
    ),
]


def _announcement_audience(rng: random.Random, build: _Build, title: str) -> dict[str, Any]:
    if "役員会" in title and build.board_group is not None:
        return {"audience": AudienceKind.GROUP, "audience_group": build.board_group}
    draw = rng.random()
    if draw < 0.08:
        kinds = rng.choice([["town", "village"], ["city", "special_ward"], ["prefecture"]])
        return {
            "audience": AudienceKind.ORGANIZATION_KIND,
            "audience_kinds": "," + ",".join(kinds) + ",",
        }
    if draw < 0.16:
        codes = sorted(rng.sample(build.prefecture_codes, rng.randint(1, 3)))
        return {
            "audience": AudienceKind.PREFECTURE,
            "audience_prefectures": "," + ",".join(codes) + ",",
        }
    return {"audience": AudienceKind.ALL_MEMBERS}


def announcements_stage(rng: random.Random, build: _Build) -> dict[str, int]:
    """Write the secretariat's お知らせ of five years, their deliveries and members' reads."""
    secretariat = build.secretariat_user_ids[0]
    count = build.size.announcements
    drafts = max(1, count // 50)
    # Newest first: index 0 was published a few hours ago.
    ages = sorted(
        rng.randint(0, YEARS * 365 - 1) * DAY + rng.randint(0, 600) * MINUTE + 3 * HOUR
        for _ in range(count - drafts)
    )
    announcements = []
    for number in range(count):
        title, body, kind = rng.choice(ANNOUNCEMENT_TOPICS)
        draft = number >= count - drafts
        age = rng.randint(0, 5) * DAY if draft else ages[number]
        year = _reiwa(ANCHOR_YEAR - age.days // 365)
        title, body = title.format(year=year), body.format(year=year)
        at = build.now - age
        announcement = Announcement(
            title=title,
            body=body,
            kind=kind,
            include_external=rng.random() < 0.05,
            send_mail=rng.random() < 0.85,
            status=AnnouncementStatus.DRAFT if draft else AnnouncementStatus.PUBLISHED,
            published_at=None if draft else at,
            created_by_id=secretariat,
            created_at=at - rng.randint(10, 600) * MINUTE,
            updated_at=at,
            **_announcement_audience(rng, build, title),
        )
        announcements.append(announcement)
    scheduled = Announcement(
        title="次年度の会員専用コーナー（ID・パスワード）の更新について",
        body="年度替わりに、会員専用コーナーの利用者情報の確認をお願いします。",
        status=AnnouncementStatus.SCHEDULED,
        scheduled_at=build.now + 7 * DAY,
        scheduled_by_id=secretariat,
        created_by_id=secretariat,
        created_at=build.now - 2 * DAY,
        updated_at=build.now - 2 * DAY,
    )
    announcements.append(scheduled)
    # Oldest first, so that ids grow with time as they would have.
    announcements.sort(key=lambda a: a.created_at)
    with _times_as_given(Announcement):
        _bulk(Announcement, announcements, need_pk=True)

    # Each delivery counts its recipients as the service does; the addresses of one audience
    # are the same for all its announcements, so they are resolved once per audience.
    recipients_of: dict[tuple, list] = {}
    deliveries, audiences = [], []
    for announcement in announcements:
        if announcement.status != AnnouncementStatus.PUBLISHED or not announcement.send_mail:
            continue
        key = (
            announcement.audience,
            announcement.audience_group_id,
            announcement.audience_kinds,
            announcement.audience_prefectures,
            announcement.include_external,
            announcement.kind,
        )
        if key not in recipients_of:
            recipients_of[key] = delivery_recipients(announcement=announcement)[0]
        at = announcement.published_at
        deliveries.append(
            Delivery(
                announcement=announcement,
                started_at=at,
                fiscal_year=fiscal_year_of(timezone.localdate(at)),
                started_by_id=secretariat,
                status=DeliveryStatus.QUEUED,
                recipient_count=len(recipients_of[key]),
            )
        )
        audiences.append(key)
    _bulk(Delivery, deliveries, need_pk=True)
    # The newest delivery to all members keeps its per-recipient log (a page of ~20,000 rows
    # to measure); the others have their counts only: millions of sent messages would be
    # kept for nothing.
    messages = []
    to_everyone = [
        (delivery, key)
        for delivery, key in zip(deliveries, audiences, strict=True)
        if key[0] == AudienceKind.ALL_MEMBERS
    ]
    if to_everyone:
        newest, key = max(to_everyone, key=lambda pair: pair[0].started_at)
        messages = sent_messages(
            delivery=newest, recipients=recipients_of[key], at=newest.started_at + MINUTE
        )
        for message in messages:
            message.created_at = newest.started_at
        with _times_as_given(OutboxMessage):
            _bulk(OutboxMessage, messages)

    # The first accounts have opened the announcements to all members except the newest few;
    # m00000 leaves the newest three unread.
    to_all = [
        a
        for a in reversed(announcements)
        if a.status == AnnouncementStatus.PUBLISHED and a.audience == AudienceKind.ALL_MEMBERS
    ]
    reads = []
    readers = _council(build).reader_ids
    for index, user_id in enumerate(readers):
        unread = 3 if index == 0 else rng.randint(0, 8)
        for announcement in to_all[unread:]:
            if index and rng.random() < 0.2:
                continue
            reads.append(
                AnnouncementRead(
                    user_id=user_id,
                    announcement=announcement,
                    read_at=announcement.published_at + rng.randint(5, 4000) * MINUTE,
                )
            )
    with _times_as_given(AnnouncementRead):
        _bulk(AnnouncementRead, reads)
    return {
        "announcements": len(announcements),
        "deliveries": len(deliveries),
        "outbox messages": len(messages),
        "reads": len(reads),
    }


# --- セミナー・研修 ---------------------------------------------------------------------------

# (kind, title, theme, level, description)
EVENT_PLANS = [
    (
        EventKind.SEMINAR,
        "自治体情報システム標準化 説明会",
        Theme.NONE,
        Level.NONE,
        "標準準拠システムへの移行の進め方と、先行団体の事例を紹介します。",
    ),
    (
        EventKind.TRAINING,
        "情報セキュリティ研修（初任者向け）",
        Theme.SECURITY,
        Level.BASIC,
        "情報部門に配属された職員を対象に、情報セキュリティの基礎を学びます。",
    ),
    (
        EventKind.TRAINING,
        "情報セキュリティ研修（管理職向け）",
        Theme.SECURITY,
        Level.ADVANCED,
        "インシデント発生時の判断と、セキュリティポリシーの運用管理を学びます。",
    ),
    (
        EventKind.TRAINING,
        "ネットワーク管理者研修",
        Theme.NETWORK,
        Level.INTERMEDIATE,
        "庁内ネットワークの分離と無線LANの運用について、演習を交えて学びます。",
    ),
    (
        EventKind.TRAINING,
        "ICT調達・契約実務研修",
        Theme.PROCUREMENT,
        Level.BASIC,
        "仕様書の作り方、見積の比較、契約管理の要点を学びます。",
    ),
    (
        EventKind.TRAINING,
        "サイバー攻撃対策演習",
        Theme.CYBER,
        Level.INTERMEDIATE,
        "標的型攻撃メールとランサムウェアを想定した対応演習を行います。",
    ),
    (
        EventKind.TRAINING,
        "情報政策の企画立案研修",
        Theme.POLICY,
        Level.ADVANCED,
        "DX推進計画の策定と評価の手法を、事例をもとに学びます。",
    ),
    (
        EventKind.SEMINAR,
        "ガバメントクラウド移行 事例研究セミナー",
        Theme.NONE,
        Level.NONE,
        "移行を終えた団体から、費用と運用の実際をお話しいただきます。",
    ),
    (
        EventKind.SEMINAR,
        "生成AIの業務活用セミナー",
        Theme.NONE,
        Level.NONE,
        "生成AIの利用ルールと、文書作成・問い合わせ対応での活用例を紹介します。",
    ),
    (
        EventKind.LECTURE,
        "自治体DX講演会「デジタル社会の実現に向けて」",
        Theme.NONE,
        Level.NONE,
        "国の施策の動向と、自治体に求められる取組について講演をいただきます。",
    ),
    (
        EventKind.STUDY,
        "窓口DX勉強会",
        Theme.NONE,
        Level.NONE,
        "書かない窓口、オンライン申請の導入事例を持ち寄って意見交換します。",
    ),
    (
        EventKind.STUDY,
        "オープンデータ勉強会",
        Theme.NONE,
        Level.NONE,
        "推奨データセットの公開と利活用の事例を学びます。",
    ),
]
TALKS = [
    ("国の施策の動向について", "デジタル庁", "参事官補佐"),
    ("標準準拠システムへの移行事例", "さいたま市 情報政策課", "主幹"),
    ("ガバメントクラウド利用の費用と運用", "浜松市 デジタル・スマートシティ推進課", "係長"),
    ("小規模団体の共同調達", "長野県 市町村課", "主査"),
    ("情報セキュリティポリシーの見直し", "地方公共団体情報システム機構", "研究員"),
    ("生成AIの利用ルールづくり", "横須賀市 デジタル・ガバメント推進室", "担当課長"),
    ("窓口DXの進め方", "北見市 市民環境部", "課長補佐"),
]
VENUES = [
    "都道府県会館 101会議室",
    "自治会館 大会議室",
    "東京国際フォーラム ホールD7",
    "全国町村会館 第1会議室",
    "事務局 研修室",
]
NON_MEMBER_BODIES = [
    "市町村総合事務組合",
    "市町村振興協会",
    "広域行政事務組合",
    "後期高齢者医療広域連合",
    "自治体DX推進協議会",
]


@dataclass
class _Registrant:
    """Who registers; a non-member has no person and confirms the address by mail first."""

    name: str
    organization_name: str
    email: str
    department: str = ""
    person_id: int | None = None
    organization_id: int | None = None
    registered_by_id: int | None = None

    @property
    def is_member(self) -> bool:
        return self.person_id is not None


def _non_member(rng: random.Random, number: int) -> _Registrant:
    code = rng.choice(sorted(PREFECTURES))
    body = rng.randrange(len(NON_MEMBER_BODIES))
    surname, given = rng.choice(["佐藤", "鈴木", "高橋", "田中"]), rng.choice(["一郎", "花子"])
    return _Registrant(
        name=f"{surname} {given}",
        organization_name=PREFECTURES[code] + NON_MEMBER_BODIES[body],
        department="総務課",
        email=f"guest{number}@body{body}-{code}.example.jp",
    )


def _member_registrant(
    rng: random.Random, member: _Member, build: _Build, council: _Council
) -> _Registrant:
    colleagues = build.users_by_org.get(member.organization_id) or [member.user_id]
    # One in five is registered by the organization's 団体管理者 on the colleague's behalf.
    by = colleagues[0] if rng.random() < 0.2 else member.user_id
    return _Registrant(
        name=member.name,
        organization_name=council.org_names[member.organization_id],
        email=member.email,
        department=member.department,
        person_id=member.person_id,
        organization_id=member.organization_id,
        registered_by_id=by,
    )


def _registrations(
    rng: random.Random,
    event: Event,
    registrants: list[_Registrant],
    *,
    window: tuple[dt.datetime, dt.datetime],
    cancel_by: dt.datetime,
    cancel_share: float,
) -> list[Registration]:
    """Replay registrations, address confirmations and cancellations in time order.

    As the services decide: a member's registration takes a seat or waits at once, a
    non-member's when the address is confirmed; a cancelled seat goes to the oldest waiting.
    """
    start, end = window
    span = (end - start).total_seconds()
    times = sorted(start + dt.timedelta(seconds=span * rng.random()) for _ in registrants)
    rows: list[Registration] = []
    steps: list[tuple[dt.datetime, int, str, int]] = []
    for index, (registrant, at) in enumerate(zip(registrants, times, strict=True)):
        rows.append(
            Registration(
                event=event,
                status=RegistrationStatus.UNCONFIRMED,
                person_id=registrant.person_id,
                organization_id=registrant.organization_id,
                name=registrant.name,
                organization_name=registrant.organization_name,
                department=registrant.department,
                email=registrant.email,
                is_member=registrant.is_member,
                registered_by_id=registrant.registered_by_id,
                created_at=at,
            )
        )
        if registrant.is_member:
            steps.append((at, index, "decide", index))
        elif rng.random() < 0.9:
            confirmed = at + rng.randint(1, 180) * MINUTE
            if confirmed < end:
                steps.append((confirmed, index, "decide", index))
        if rng.random() < cancel_share:
            left = (cancel_by - at).total_seconds()
            if left > 3600:
                cancelled = at + dt.timedelta(seconds=3600 + (left - 3600) * rng.random())
                steps.append((cancelled, index, "cancel", index))
    heapq.heapify(steps)
    confirmed_count, waiting = 0, []
    capacity = event.capacity
    while steps:
        at, _, step, index = heapq.heappop(steps)
        row = rows[index]
        if step == "decide":
            if row.status != RegistrationStatus.UNCONFIRMED:
                continue
            if capacity is None or confirmed_count < capacity:
                row.status, row.confirmed_at = RegistrationStatus.CONFIRMED, at
                confirmed_count += 1
            else:
                row.status = RegistrationStatus.WAITLISTED
                heapq.heappush(waiting, (row.created_at, index))
            continue
        was = row.status
        row.status, row.cancelled_at = RegistrationStatus.CANCELLED, at
        if was == RegistrationStatus.CONFIRMED:
            confirmed_count -= 1
            while waiting and (capacity is None or confirmed_count < capacity):
                _, promoted = heapq.heappop(waiting)
                if rows[promoted].status == RegistrationStatus.WAITLISTED:
                    rows[promoted].status = RegistrationStatus.CONFIRMED
                    rows[promoted].confirmed_at = at
                    confirmed_count += 1
    return rows


def _check_in(
    rng: random.Random,
    rows: list[Registration],
    *,
    share: float,
    between: tuple[dt.datetime, dt.datetime],
    by: int,
) -> None:
    start, end = between
    span = (end - start).total_seconds()
    for row in rows:
        if row.status == RegistrationStatus.CONFIRMED and rng.random() < share:
            row.checked_in_at = start + dt.timedelta(seconds=span * rng.random())
            row.checked_in_by_id = by


def _registrants(
    rng: random.Random,
    build: _Build,
    council: _Council,
    count: int,
    *,
    open_: bool,
    guest_numbers: Iterator[int],
) -> list[_Registrant]:
    """Return members (and non-members, ~10% when the event is open to them), shuffled."""
    wanted = min(count, len(council.members))
    guests = round(wanted * rng.uniform(0.05, 0.15)) if open_ else 0
    people = rng.sample(council.members, wanted - guests)
    result = [_member_registrant(rng, member, build, council) for member in people]
    result += [_non_member(rng, next(guest_numbers)) for _ in range(guests)]
    rng.shuffle(result)
    return result


def _sessions(rng: random.Random, event: Event, kind: str) -> list[Session]:
    first = timezone.localtime(event.starts_at)
    if kind == EventKind.TRAINING:
        return [
            Session(event=event, position=1, label="第1部", theme="講義", starts_at=first.time()),
            Session(
                event=event,
                position=2,
                label="第2部",
                theme="演習",
                starts_at=(first + 70 * MINUTE).time(),
            ),
        ]
    if kind == EventKind.STUDY:
        return []
    talks = rng.sample(TALKS, rng.randint(2, 4))
    sessions = []
    for number, (theme, affiliation, title) in enumerate(talks, start=1):
        begins = first + (10 + 50 * (number - 1)) * MINUTE
        sessions.append(
            Session(
                event=event,
                position=number,
                label=f"講演{number}",
                theme=theme,
                speaker_name=rng.choice(["上澤", "望月", "新井", "木村", "村田"])
                + " "
                + rng.choice(["政裕", "昌樹", "信弘", "壽信", "由紀"]),
                speaker_affiliation=affiliation,
                speaker_title=title,
                starts_at=begins.time(),
                ends_at=(begins + 50 * MINUTE).time(),
            )
        )
    # The program fits in the event's time.
    event.ends_at = max(event.ends_at, first + (10 + 50 * len(talks) + 20) * MINUTE)
    return sessions


def events_stage(rng: random.Random, build: _Build) -> dict[str, int]:
    """Write five years of seminars and trainings with registrations, and the big fair."""
    secretariat = build.secretariat_user_ids[0]
    council = _council(build)
    guest_numbers = itertools.count(1)
    events: list[tuple[Event, dict[str, Any]]] = []
    for _ in range(build.size.events):
        plan = rng.randrange(len(EVENT_PLANS))
        kind, title, theme, level, description = EVENT_PLANS[plan]
        upcoming = rng.random() < 0.06
        days = rng.randint(10, 120) if upcoming else -rng.randint(2, YEARS * 365 - 30)
        hour = rng.choice([10, 13, 14])
        starts = _day_at(build.now + days * DAY, hour, 30 if hour == 13 else 0)
        delivery = rng.choices(EventDelivery.values, weights=[50, 25, 25])[0]
        capacity = None if rng.random() < 0.2 else rng.choice([30, 40, 50, 80, 100, 150, 300])
        open_ = kind != EventKind.TRAINING and rng.random() < 0.5
        if upcoming:
            status = rng.choices(
                [EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED], [85, 10, 5]
            )[0]
            # Open now until 5 days before (60 days ahead and nearer), or opening later.
            opens = build.now - rng.randint(3, 30) * DAY if days <= 60 else starts - 45 * DAY
        else:
            status = EventStatus.CANCELLED if rng.random() < 0.03 else EventStatus.PUBLISHED
            opens = starts - 45 * DAY
        closes = _day_at(starts - 5 * DAY, 17)
        event = Event(
            title=title,
            kind=kind,
            description=description,
            starts_at=starts,
            ends_at=starts + rng.choice([2, 3, 4]) * HOUR,
            venue="" if delivery == EventDelivery.ONLINE else rng.choice(VENUES),
            delivery=delivery,
            online_url=""
            if delivery == EventDelivery.VENUE
            else f"https://meet.example.lg.jp/renkei-{plan}-{len(events)}",
            capacity=capacity,
            audience=Audience.OPEN if open_ else Audience.MEMBERS,
            registration_opens_at=opens,
            registration_closes_at=closes,
            theme=theme,
            level=level,
            status=status,
            created_by_id=secretariat,
            created_at=min(opens, build.now) - 10 * DAY,
            updated_at=min(opens, build.now) - DAY,
            published_at=None if status == EventStatus.DRAFT else min(opens, build.now) - DAY,
        )
        events.append((event, {"upcoming": upcoming, "sessions": _sessions(rng, event, kind)}))
    # Each plan's events are numbered in the order they are held: （第1回）, （第2回）, ….
    held: dict[str, int] = {}
    for event, _ in sorted(events, key=lambda pair: pair[0].starts_at):
        base = event.title
        held[base] = held.get(base, 0) + 1
        event.title = f"{base}（第{held[base]}回）"

    # The big fair: called to every member, the day after tomorrow from 10:00 to 17:00 (an
    # event is one day: the form takes a day and two times), taking registrations until 17:00
    # tomorrow. Its reception opens on the day, so nobody is checked in yet (the past events
    # hold the check-ins).
    fair_starts = _day_at(build.now + 2 * DAY, 10)
    big = Event(
        title=BIG_EVENT_TITLE,
        kind=EventKind.FAIR,
        description="全国の会員団体が集まり、自治体DXの取組と製品・サービスを紹介する催しです。会員以外の団体も参加いただけます。",
        starts_at=fair_starts,
        ends_at=_day_at(build.now + 2 * DAY, 17),
        venue="東京ビッグサイト 西1ホール",
        delivery=EventDelivery.HYBRID,
        online_url="https://meet.example.lg.jp/renkei-fair",
        capacity=round(build.size.big_event_registrations * 0.8),
        audience=Audience.OPEN,
        registration_opens_at=build.now - 40 * DAY,
        registration_closes_at=_day_at(build.now + DAY, 17),
        status=EventStatus.PUBLISHED,
        created_by_id=secretariat,
        created_at=build.now - 50 * DAY,
        updated_at=build.now - 41 * DAY,
        published_at=build.now - 41 * DAY,
    )
    events.append((big, {"big": True, "sessions": _sessions(rng, big, big.kind)}))
    events.sort(key=lambda pair: pair[0].created_at)
    with _times_as_given(Event):
        _bulk(Event, [event for event, _ in events], need_pk=True)

    sessions = [s for _, facts in events for s in facts["sessions"]]
    _bulk(Session, sessions)

    registrations: list[Registration] = []
    for event, facts in events:
        if facts.get("big"):
            continue
        if event.status == EventStatus.DRAFT or event.registration_opens_at > build.now:
            continue
        wanted = round((event.capacity or 100) * rng.uniform(0.4, 1.15))
        people = _registrants(
            rng,
            build,
            council,
            wanted,
            open_=event.audience == Audience.OPEN,
            guest_numbers=guest_numbers,
        )
        if facts["upcoming"]:
            window = (event.registration_opens_at, build.now - HOUR)
            cancel_by = build.now - HOUR
        else:
            window = (event.registration_opens_at, event.registration_closes_at)
            cancel_by = event.starts_at - HOUR
        rows = _registrations(
            rng, event, people, window=window, cancel_by=cancel_by, cancel_share=0.05
        )
        if not facts["upcoming"] and event.status == EventStatus.PUBLISHED:
            start = event.starts_at
            _check_in(rng, rows, share=0.88, between=(start - 40 * MINUTE, start), by=secretariat)
        registrations += rows

    people = _registrants(
        rng,
        build,
        council,
        build.size.big_event_registrations,
        open_=True,
        guest_numbers=guest_numbers,
    )
    # However few the members (--small), the fair holds its number of registrations.
    while len(people) < build.size.big_event_registrations:
        people.append(_non_member(rng, next(guest_numbers)))
    big_rows = _registrations(
        rng,
        big,
        people,
        window=(big.registration_opens_at, build.now - HOUR),
        cancel_by=build.now - 40 * MINUTE,
        cancel_share=0.08,
    )
    registrations += big_rows
    # Registration order is id order, as the lists show them.
    registrations.sort(key=lambda r: r.created_at)
    with _times_as_given(Registration):
        _bulk(Registration, registrations)
    return {
        "events": len(events),
        "sessions": len(sessions),
        "registrations": len(registrations),
        "big event registrations": len(big_rows),
    }


# --- 会議 -----------------------------------------------------------------------------------

# One fiscal year of meetings: (days before now in the current year, kind, name, body).
# Negative days are still to come; in earlier years the same meetings lie 365 days further.
MEETING_YEAR = [
    (-14, MeetingKind.BOARD, "第3回役員会", "board"),
    (-45, MeetingKind.GENERAL, "総会", ""),
    (20, MeetingKind.WORKING_GROUP, "第4回情報セキュリティワーキンググループ", "wg"),
    (40, MeetingKind.EXCHANGE, "第2回情報交換会議", ""),
    (60, MeetingKind.BOARD, "第2回役員会", "board"),
    (100, MeetingKind.WORKING_GROUP, "第3回情報セキュリティワーキンググループ", "wg"),
    (130, MeetingKind.EXCHANGE, "第1回情報交換会議", ""),
    (160, MeetingKind.WORKING_GROUP, "第2回情報セキュリティワーキンググループ", "wg"),
    (190, MeetingKind.BOARD, "第1回役員会", "board"),
    (220, MeetingKind.SECRETARIES, "幹事会", ""),
    (250, MeetingKind.WORKING_GROUP, "第1回情報セキュリティワーキンググループ", "wg"),
    (280, MeetingKind.BOARD_HANDOVER, "新旧役員会", "board"),
]
AGENDA = [
    "事業報告について",
    "決算について",
    "事業計画（案）について",
    "予算（案）について",
    "役員の選任について",
    "情報交換会議の議題について",
    "自治体情報システム標準化の進捗について",
    "情報セキュリティに関する照会の結果について",
    "研修計画について",
    "その他",
]
SCOPES = {
    MeetingKind.BOARD: MeetingScope.BOARD,
    MeetingKind.BOARD_HANDOVER: MeetingScope.BOARD,
    MeetingKind.SECRETARIES: MeetingScope.INVITEES,
}


def _reply(rng: random.Random) -> tuple[str, str]:
    reply = rng.choices([Reply.ATTEND, Reply.ABSENT, Reply.DEPUTY], weights=[70, 20, 10])[0]
    deputy = "代理 " + rng.choice(["一郎", "花子", "次郎"]) if reply == Reply.DEPUTY else ""
    return reply, deputy


def meetings_stage(rng: random.Random, build: _Build) -> dict[str, int]:
    """Write five years of meetings with invitees, 招集通知 sent, replies and attendance."""
    secretariat = build.secretariat_user_ids[0]
    council = _council(build)
    slots = sorted(
        (days + 365 * year, year, kind, name, body)
        for year in range(YEARS)
        for days, kind, name, body in MEETING_YEAR
    )[: build.size.meetings]
    board_people = list(
        GroupMember.objects.filter(group=build.board_group, person__isnull=False)
        .order_by("pk")
        .values_list("person_id", "person__organization_id")
    )
    wg_orgs = sorted(
        GroupMember.objects.filter(
            group=build.working_group, organization__isnull=False
        ).values_list("organization_id", flat=True)
    )
    org_ids = [o.pk for o in build.organizations]
    planned: list[tuple[Meeting, int, str]] = []
    for days, year, kind, name, body in slots:
        starts = _day_at(build.now - days * DAY, 14)
        meeting = Meeting(
            title=f"{_reiwa(ANCHOR_YEAR - year)} {name}",
            kind=kind,
            group=build.working_group if body == "wg" else None,
            starts_at=starts,
            ends_at=starts + rng.choice([1, 2, 3]) * HOUR,
            venue=rng.choice(
                ["事務局 大会議室", "都道府県会館 101会議室", "全国町村会館 第1会議室"]
            ),
            online_url="https://meet.example.lg.jp/renkei-kaigi" if rng.random() < 0.5 else "",
            scope=SCOPES.get(kind, MeetingScope.MEMBERS),
            # Three to four weeks before, and never later than a few days ago.
            invitations_sent_at=min(
                starts - rng.randint(21, 30) * DAY, build.now - rng.randint(2, 7) * DAY
            ),
            created_by_id=secretariat,
        )
        meeting.created_at = meeting.invitations_sent_at - rng.randint(3, 20) * DAY
        meeting.updated_at = meeting.invitations_sent_at
        # Held at least 20 days ago: the secretariat has recorded who came.
        if days >= 20:
            meeting.attendance_recorded_at = meeting.ends_at + rng.randint(1, 5) * DAY
            meeting.audience_count = rng.randint(0, 3) if kind == MeetingKind.EXCHANGE else 0
        planned.append((meeting, days, body))
    planned.sort(key=lambda item: item[0].created_at)
    with _times_as_given(Meeting):
        _bulk(Meeting, [meeting for meeting, _, _ in planned], need_pk=True)

    invitees, responses, agenda = [], [], []
    for meeting, days, body in planned:
        # (person, organization, category, listed): a group's people have their reply row
        # from the invitation on (invitees_add); others get one when they answer.
        called: list[tuple[int, int, str, bool]]
        if body == "board":
            invitees.append(Invitee(meeting=meeting, group=build.board_group, category="役員"))
            called = [(p, o, "役員", True) for p, o in board_people]
        elif body == "wg":
            invitees.append(Invitee(meeting=meeting, group=build.working_group, category="委員"))
            called = [
                (m.person_id, o, "委員", False)
                for o in wg_orgs
                if (m := council.representatives.get(o)) is not None
            ]
        else:
            if meeting.kind == MeetingKind.GENERAL:
                organizations, category = org_ids, "会員団体"
            else:
                organizations = sorted(rng.sample(org_ids, min(30, len(org_ids))))
                category = "情報交換会議出席者" if meeting.kind == MeetingKind.EXCHANGE else "幹事"
            invitees += [
                Invitee(meeting=meeting, organization_id=o, category=category)
                for o in organizations
            ]
            called = [
                (m.person_id, o, category, False)
                for o in organizations
                if (m := council.representatives.get(o)) is not None
            ]
        upcoming = days < 0
        share = 0.4 if upcoming else 0.85
        sent = meeting.invitations_sent_at
        until = build.now - HOUR if upcoming else meeting.starts_at - HOUR
        for person, organization, category, listed in called:
            replies = rng.random() < share
            if not (replies or listed):
                continue
            response = Response(
                meeting=meeting,
                person_id=person,
                organization_id=organization,
                capacity=InviteeCapacity.MEMBER,
                category=category,
            )
            if replies:
                response.reply, response.deputy_name = _reply(rng)
                response.replied_at = sent + (until - sent) * rng.random()
            if meeting.attendance_recorded_at:
                response.attended = response.reply in (Reply.ATTEND, Reply.DEPUTY)
            responses.append(response)
        titles = sorted(rng.sample(range(len(AGENDA)), rng.randint(2, 5)))
        agenda += [
            AgendaItem(meeting=meeting, position=position, title=AGENDA[t], presenter="事務局")
            for position, t in enumerate(titles, start=1)
        ]
    _bulk(Invitee, invitees)
    _bulk(Response, responses)
    _bulk(AgendaItem, agenda)
    this_year = fiscal_year_of(build.today)
    requirements = [
        MeetingRequirement(kind=kind, fiscal_year=this_year - back, required_count=n, basis=basis)
        for back in range(YEARS)
        for kind, n, basis in (
            (MeetingKind.BOARD, 2, "細則第2条（役員会は年2回以上開催する）"),
            (MeetingKind.GENERAL, 1, "会則第8条"),
            (MeetingKind.EXCHANGE, 1, "事業計画"),
        )
    ]
    _bulk(MeetingRequirement, requirements)
    return {
        "meetings": len(planned),
        "invitees": len(invitees),
        "responses": len(responses),
        "agenda items": len(agenda),
        "requirements": len(requirements),
    }


# --- 電子会議室 -------------------------------------------------------------------------------

# (name, description, private to: "" for all members, "board" or "wg" for that group)
BOARDS = [
    (BIG_BOARD_NAME, "標準準拠システムへの移行とガバメントクラウドの利用について。", ""),
    ("セキュリティ", "情報セキュリティポリシー、インシデント対応、監査について。", ""),
    ("調達・契約", "仕様書、見積、共同調達、契約管理について。", ""),
    ("生成AI・業務改革", "生成AI、RPA、ローコードによる業務改善について。", ""),
    ("窓口DX・電子申請", "書かない窓口、オンライン申請、キャッシュレスについて。", ""),
    ("ネットワーク・端末", "庁内ネットワーク、無線LAN、端末の更新について。", ""),
    ("人材育成・研修", "情報部門の人員体制と職員研修について。", ""),
    ("何でも相談室", "どの会議室にも当てはまらない相談はこちらへ。", ""),
    ("役員会", "役員と事務局の連絡用（非公開）。", "board"),
    (
        "情報セキュリティWG",
        "情報セキュリティワーキンググループの構成団体の連絡用（非公開）。",
        "wg",
    ),
]
THREAD_FORMS = [
    "{topic}について教えてください",
    "{topic}の進め方について",
    "{topic}に関する他団体の状況",
    "【質問】{topic}の予算の確保",
    "【事例紹介】当市の{topic}",
    "{topic}の事業者選定について",
    "{topic}で困っていること",
    "【情報共有】{topic}の最新動向",
]
OPENINGS = [
    "いつもお世話になっております。\n\n当団体では{topic}を検討しています。次の点について、各団体の状況を教えてください。\n\n- 導入の時期\n- 費用の規模\n- 庁内の体制",
    "{topic}について、他団体の取組を参考にしたく投稿します。\n\n特に、**小規模団体**での進め方をご存じの方がいればお願いします。",
    "当市の{topic}の事例を共有します。\n\n1. 庁内の検討会を立ち上げ\n2. 事業者から情報提供を受け\n3. 試行ののち全庁に展開しました\n\nご質問があればこのスレッドにどうぞ。",
    "{topic}に関する国の資料が更新されました。各団体で影響を確認しておく必要がありそうです。",
]
REPLIES = [
    "当町でも同じ課題を抱えています。情報があれば共有をお願いします。",
    "当市では昨年度に対応を終えました。\n\n- 事業者との調整に約半年\n- 庁内の説明会を3回開催\n\n資料が必要でしたら個別にご連絡ください。",
    "参考になります。ありがとうございます。",
    "県内の団体で共同調達を検討しています。関心のある団体はご連絡ください。",
    "国の資料の該当箇所は第3章です。特に経過措置の部分に注意が必要です。",
    "当村は職員が2名のため、近隣の団体と連携して進めています。",
    "事業者からの見積は、構成によって大きく差が出ました。複数社から取ることをお勧めします。",
    "> 導入の時期\n\n当区では令和8年度中の予定です。",
    "セキュリティの観点から、事前に情報セキュリティ委員会へ諮りました。",
    "同様の質問を以前にも見かけました。過去のスレッドも検索してみてください。",
    "担当者の異動があり、引継ぎに苦労しています。手順書の例があれば助かります。",
    "研修の資料を事務局にお送りしました。会議室にも掲載いただけるとのことです。",
]
HIDDEN_REASON = "個人の連絡先が書かれていたため、事務局が非表示にしました。"


@dataclass
class _ThreadPlan:
    """A thread to write: its board, title, and its posts' times and authors."""

    board: Board
    title: str
    topic: str
    times: list[dt.datetime]
    authors: list[int]
    pinned: bool = False


def _thread_plan(
    rng: random.Random,
    build: _Build,
    board: Board,
    pool: list[int],
    *,
    posts: int,
    age: dt.timedelta,
    last: dt.timedelta | None = None,
    starter: int | None = None,
) -> _ThreadPlan:
    """Plan a thread started `age` ago by one of the pool, its posts spread over a month at most
    (over its whole age when `last`, the age of its newest post, is given)."""
    topic = rng.choice(TOPICS)
    title = rng.choice(THREAD_FORMS).format(topic=topic)
    start = build.now - age
    if last is None:
        span = min(age - MINUTE, 30 * DAY).total_seconds()
        offsets = sorted(span * rng.random() for _ in range(posts - 1))
        times = [start] + [start + dt.timedelta(seconds=o) for o in offsets]
    else:
        span = (age - last).total_seconds()
        offsets = sorted(span * rng.random() for _ in range(posts - 2))
        times = [start] + [start + dt.timedelta(seconds=o) for o in offsets]
        times = [*times, build.now - last][:posts]
    starter = starter if starter is not None else rng.choice(pool)
    people = [starter, *rng.sample(pool, min(len(pool), rng.randint(1, 6)))]
    authors = [starter]
    for _ in range(posts - 1):
        choices = [p for p in people if p != authors[-1]] or people
        authors.append(rng.choice(choices))
    return _ThreadPlan(board=board, title=title, topic=topic, times=times, authors=authors)


def _posts_per_thread(rng: random.Random) -> int:
    return min(20, 1 + int(rng.expovariate(1 / 4)))


def forum_stage(rng: random.Random, build: _Build) -> dict[str, int]:
    """Write the e-conference room: boards, threads with posts, follows and read markers."""
    council = _council(build)
    secretariat = build.secretariat_user_ids
    members = [m.user_id for m in council.members]
    board_users = list(
        GroupMember.objects.filter(group=build.board_group, person__user__isnull=False)
        .order_by("pk")
        .values_list("person__user_id", flat=True)
    )
    wg_orgs = GroupMember.objects.filter(group=build.working_group).values_list(
        "organization_id", flat=True
    )
    wg_users = sorted(u for o in wg_orgs for u in build.users_by_org.get(o, []))
    pools = {"": members, "board": board_users + secretariat, "wg": wg_users + secretariat}
    groups = {"": None, "board": build.board_group, "wg": build.working_group}
    opened = build.now - (YEARS * 365 + 30) * DAY
    boards = [
        Board(
            name=name,
            description=description,
            group=groups[private],
            position=10 * (number + 1),
            created_at=opened,
        )
        for number, (name, description, private) in enumerate(BOARDS)
    ]
    with _times_as_given(Board):
        _bulk(Board, boards, need_pk=True)

    reader = members[0] if members else secretariat[0]
    plans: list[_ThreadPlan] = []
    for board, (_, _, private) in zip(boards, BOARDS, strict=True):
        pool = pools[private]
        big = board.name == BIG_BOARD_NAME
        count = build.size.forum_threads if big else build.size.forum_board_threads
        if private:
            count = max(1, count // 3)
        for _ in range(count):
            age = rng.randint(120, YEARS * 365 * 24 * 60) * MINUTE
            plans.append(
                _thread_plan(rng, build, board, pool, posts=_posts_per_thread(rng), age=age)
            )
        if not private:
            plans.append(
                _ThreadPlan(
                    board=board,
                    title=f"【はじめにお読みください】{board.name}の使い方",
                    topic=board.name,
                    times=[opened + DAY],
                    authors=[secretariat[0]],
                    pinned=True,
                )
            )
    big_board = boards[0]
    # The long thread: two years of posts, the newest five minutes old; m00000 wrote some of
    # them long ago, so it has news for them.
    long_thread = _thread_plan(
        rng,
        build,
        big_board,
        members,
        posts=build.size.forum_big_thread_posts,
        age=730 * DAY,
        last=5 * MINUTE,
    )
    long_thread.title = BIG_THREAD_TITLE
    people = rng.sample(members, min(len(members), 60))
    long_thread.authors = [rng.choice(people) for _ in long_thread.times]
    for number in range(9, len(long_thread.authors) - 30, 97):
        long_thread.authors[number] = reader
    if long_thread.authors[-1] == reader:
        long_thread.authors[-1] = secretariat[0]
    plans.append(long_thread)
    # m00000's own recent questions, answered by others since it last looked.
    for hours in (30, 20, 6):
        plan = _thread_plan(
            rng,
            build,
            big_board,
            members,
            posts=rng.randint(3, 8),
            age=hours * HOUR,
            last=rng.randint(10, 50) * MINUTE,
            starter=reader,
        )
        plan.authors = [reader] + [a if a != reader else secretariat[0] for a in plan.authors[1:]]
        plans.append(plan)

    plans.sort(key=lambda plan: plan.times[0])
    threads = []
    for plan in plans:
        starter = plan.authors[0]
        threads.append(
            Thread(
                board=plan.board,
                title=plan.title,
                author_id=starter,
                organization_id=council.names.get(starter, ("", None))[1],
                created_at=plan.times[0],
                last_post_at=plan.times[-1],
                post_count=len(plan.times),
                is_pinned=plan.pinned,
                is_locked=plan.pinned,
                search_text=fold_for_search(plan.title),
            )
        )
    with _times_as_given(Thread):
        _bulk(Thread, threads, need_pk=True)

    html: dict[str, str] = {}
    posts = []
    follows: dict[tuple[int, int], dt.datetime] = {}
    markers: dict[tuple[int, int], tuple[int, dt.datetime]] = {}
    for plan, thread in zip(plans, threads, strict=True):
        for number, (at, author) in enumerate(zip(plan.times, plan.authors, strict=True), 1):
            if plan.pinned:
                body = f"{plan.board.name}の会議室です。\n\n- 個人情報は書き込まないでください。\n- 質問の前に検索をお試しください。"
            elif number == 1:
                body = rng.choice(OPENINGS).format(topic=plan.topic)
            else:
                body = rng.choice(REPLIES)
            if body not in html:
                html[body] = markdown_html(body)
            name, organization = council.names.get(author, ("", None))
            hidden = number > 1 and rng.random() < 0.002
            posts.append(
                ForumPost(
                    thread=thread,
                    board=plan.board,
                    number=number,
                    author_id=author,
                    author_name=name[:100],
                    organization_id=organization,
                    body=body,
                    body_html=html[body],
                    created_at=at,
                    is_hidden=hidden,
                    hidden_reason=HIDDEN_REASON if hidden else "",
                    search_text=post_search_text(title=thread.title, body=body),
                )
            )
            # What _post_add does for every author: follow the thread, read up to one's post.
            follows.setdefault((author, thread.pk), at)
            markers[(author, thread.pk)] = (number, at)
    # Posts are numbered in time order across the room: ids grow with time, as the search
    # relies on.
    posts.sort(key=lambda post: post.created_at)
    with _times_as_given(ForumPost):
        _bulk(ForumPost, posts)

    # The first accounts also follow boards and others' threads, read partway.
    board_follows = []
    public = [b for b in boards if b.group_id is None]
    recent = sorted(threads, key=lambda t: t.last_post_at)[-200:]
    for index, user_id in enumerate(council.reader_ids):
        followed = [public[1]] if index == 0 else rng.sample(public, rng.randint(0, 2))
        board_follows += [
            Follow(user_id=user_id, board=b, created_at=build.now - 100 * DAY) for b in followed
        ]
        for thread in rng.sample(recent, min(len(recent), rng.randint(3, 10))):
            if thread.board.group_id is not None:
                continue
            follows.setdefault((user_id, thread.pk), thread.created_at)
            seen = markers.get((user_id, thread.pk), (0, thread.created_at))
            number = max(seen[0], rng.randint(0, thread.post_count - 1))
            markers[(user_id, thread.pk)] = (number, max(seen[1], thread.created_at))
    rows = [
        Follow(user_id=user, thread_id=thread, created_at=at)
        for (user, thread), at in follows.items()
    ]
    with _times_as_given(Follow, ReadMarker):
        _bulk(Follow, rows + board_follows)
        marker_rows = [
            ReadMarker(user_id=user, thread_id=thread, last_read_number=number, read_at=at)
            for (user, thread), (number, at) in markers.items()
            if number
        ]
        _bulk(ReadMarker, marker_rows)
    return {
        "boards": len(boards),
        "threads": len(threads),
        "posts": len(posts),
        "follows": len(rows) + len(board_follows),
        "read markers": len(marker_rows),
    }


# --- digest ---------------------------------------------------------------------------------


def activity_digest() -> str:
    """Return a SHA-256 of what these stages wrote, by natural keys (no ids, no clock times)."""
    digest = hashlib.sha256()

    def add(*row: Any) -> None:
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str).encode())
        digest.update(b"\n")

    for row in Announcement.objects.order_by("pk").values_list(
        "title", "kind", "audience", "audience_kinds", "audience_prefectures", "status"
    ):
        add("announcement", *row)
    for row in Delivery.objects.order_by("pk").values_list(
        "announcement__title", "recipient_count"
    ):
        add("delivery", *row)
    for row in AnnouncementRead.objects.order_by("user__username", "announcement_id").values_list(
        "user__username", "announcement__title"
    ):
        add("read", *row)
    for row in Event.objects.order_by("pk").values_list(
        "title", "kind", "status", "audience", "capacity", "delivery"
    ):
        add("event", *row)
    for row in Registration.objects.order_by("event_id", "created_at", "pk").values_list(
        "event__title", "email", "status", "is_member", "organization_name", "checked_in_at"
    ):
        add("registration", *row[:5], row[5] is not None)
    for row in Meeting.objects.order_by("pk").values_list("title", "kind", "scope"):
        add("meeting", *row)
    for row in Response.objects.order_by("meeting_id", "person__user__username").values_list(
        "meeting__title", "person__user__username", "reply", "attended"
    ):
        add("response", *row)
    for row in Thread.objects.order_by("pk").values_list(
        "board__name", "title", "author__username", "post_count", "is_pinned"
    ):
        add("thread", *row)
    for row in (
        ForumPost.objects.order_by("thread_id", "number")
        .values_list("thread__title", "number", "author__username", "body", "is_hidden")
        .iterator()
    ):
        add("post", *row)
    for row in Follow.objects.order_by("user__username", "thread_id", "board_id").values_list(
        "user__username", "thread__title", "board__name"
    ):
        add("follow", *row)
    for row in ReadMarker.objects.order_by("user__username", "thread_id").values_list(
        "user__username", "thread__title", "last_read_number"
    ):
        add("marker", *row)
    return digest.hexdigest()
