"""Scale data: a national-size council for load tests and benchmarks (manage.py seed_scale).

Every organization of the bundled municipality master is a member; people with accounts,
inquiries with their questions, targets, answers and submitted versions, and polls with
votes are generated from `random.Random` seeded per stage, so one seed gives the same data
on any database. Rows are written with bulk_create in batches, one transaction per stage.
Every account shares one password, hashed once: hashing 20,000 passwords would take hours.

Account user IDs are `m00000`, `m00001`, …: the first one of each organization (in a
shuffled order) is its 団体管理者, so the first 1,788 IDs belong to 1,788 different
organizations (the load test relies on that to avoid editing the same answer twice).
"""

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.core.question_kinds import hidden_question_ids
from renkei.devdata.demo import DEMO_TOTP_SECRET, GIVEN, SURNAMES
from renkei.directory.models import (
    LISTED_KINDS,
    Assignment,
    Department,
    Group,
    GroupKind,
    GroupMember,
    GroupRole,
    Membership,
    MembershipCategory,
    Organization,
    OrganizationKind,
    Person,
    Post,
)
from renkei.directory.municipalities import municipalities_load
from renkei.inquiries.models import (
    NO,
    OTHER_CHOICE,
    YES,
    Answer,
    AnswerKind,
    AnswerStatus,
    AnswerVersion,
    Inquiry,
    InquiryStatus,
    Question,
    QuestionKind,
    ResultsVisibility,
    Target,
)
from renkei.inquiries.selectors.targets import target_description
from renkei.polls.models import Choice, Poll, PollStatus, Vote, VoteChoice, VoteScope
from renkei.polls.models import ResultsVisibility as PollResultsVisibility

SCALE_PASSWORD = "renkei-scale-2026"
SCALE_TOTP_SECRET = DEMO_TOTP_SECRET
SECRETARIAT_USERNAME = "scale-jimukyoku"
SECRETARIAT_NAME = "全国市町村情報管理主管課長会事務局"
# Big inquiries' titles start with this, so scripts can find them.
BIG_TITLE_PREFIX = "【全団体調査】"
BATCH = 1000
# Inquiries (and polls) handled per bulk round in the answer and vote stages; bounds memory.
CHUNK = 40
JOINED = dt.date(2008, 4, 1)
# Fiscal years in titles count back from this one.
ANCHOR_YEAR = 2026
BIG_QUESTIONS = 60


def scale_username(index: int) -> str:
    """Return the user ID of the index-th generated account."""
    return f"m{index:05d}"


@dataclass(frozen=True)
class ScaleSize:
    """How much to generate."""

    people: int = 20_000
    inquiries: int = 2_000
    polls: int = 300
    big_inquiries: int = 2
    # The other features (renkei.devdata.scale_activity).
    announcements: int = 300
    events: int = 500
    big_event_registrations: int = 1_000
    meetings: int = 60
    # Threads of the big board, and of each other board (a third of it on private ones).
    forum_threads: int = 10_000
    forum_board_threads: int = 150
    forum_big_thread_posts: int = 2_000


FULL = ScaleSize()
SMALL = ScaleSize(
    people=200,
    inquiries=50,
    polls=20,
    big_inquiries=1,
    announcements=20,
    events=30,
    big_event_registrations=200,
    meetings=6,
    forum_threads=500,
    forum_board_threads=10,
    forum_big_thread_posts=200,
)


@dataclass
class Stage:
    """One stage's name, row counts and wall time."""

    name: str
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{name} {count:,}" for name, count in self.rows.items())
        return f"{self.name}: {counts} ({self.seconds:.1f} s)"


@dataclass
class ScaleResult:
    """What seed_scale built and how long each stage took."""

    seed: int
    size: ScaleSize
    stages: list[Stage] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)


class ScaleDataError(Exception):
    """The database is not empty; the message is for the operator."""


def scale_refuse_if_not_empty() -> None:
    """Refuse to add the scale data to a database that already holds council data."""
    found = [
        label
        for label, model in (("照会", Inquiry), ("人員", Person), ("会員資格", Membership))
        if model.objects.exists()
    ]
    if found:
        raise ScaleDataError(
            "このデータベースにはすでにデータ（" + "・".join(found) + "）があります。"
            "seed_scale は空のデータベース（migrate 直後）にのみ実行できます。"
            "別のデータベースを DATABASE_URL で指定してください。"
        )


# --- text pools -----------------------------------------------------------------------------

MORE_SURNAMES = [
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("小川", "オガワ"),
    ("岡田", "オカダ"),
    ("後藤", "ゴトウ"),
    ("長谷川", "ハセガワ"),
    ("村上", "ムラカミ"),
    ("近藤", "コンドウ"),
    ("石井", "イシイ"),
    ("坂本", "サカモト"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
]
MORE_GIVEN = [
    ("達也", "タツヤ"),
    ("由美", "ユミ"),
    ("和彦", "カズヒコ"),
    ("真理", "マリ"),
    ("剛", "ツヨシ"),
    ("明美", "アケミ"),
    ("修", "オサム"),
    ("香織", "カオリ"),
    ("拓也", "タクヤ"),
    ("彩", "アヤ"),
]
ALL_SURNAMES = SURNAMES + MORE_SURNAMES
ALL_GIVEN = GIVEN + MORE_GIVEN
DEPARTMENTS = ["情報政策課", "企画課", "総務課", "情報管理課", "DX推進課", "行政改革課", "市民課"]
STAFF_TITLES = ["係長", "主査", "主任", "主事", "課長補佐"]
KIND_WEIGHTS = {
    OrganizationKind.PREFECTURE: 4.0,
    OrganizationKind.CITY: 1.6,
    OrganizationKind.SPECIAL_WARD: 2.5,
    OrganizationKind.TOWN: 0.7,
    OrganizationKind.VILLAGE: 0.4,
}
# (mu, sigma) of a log-normal population per kind.
POPULATION = {
    OrganizationKind.PREFECTURE: (14.5, 0.6),
    OrganizationKind.CITY: (11.0, 0.9),
    OrganizationKind.SPECIAL_WARD: (12.5, 0.5),
    OrganizationKind.TOWN: (9.4, 0.8),
    OrganizationKind.VILLAGE: (7.9, 0.8),
}
TOPICS = [
    "自治体情報システムの標準化",
    "ガバメントクラウドへの移行",
    "情報セキュリティポリシー",
    "生成AIの業務利用",
    "RPAの導入状況",
    "テレワーク環境",
    "庁内ネットワークの分離",
    "マイナンバーカードの利活用",
    "電子申請システム",
    "キャッシュレス決済",
    "公式ウェブサイトの運用",
    "SNSによる情報発信",
    "オープンデータの公開",
    "情報システム部門の人員体制",
    "CIO補佐官の任用",
    "システム運用経費",
    "ペーパーレス会議",
    "文書管理システム",
    "電子契約",
    "庁内無線LAN",
    "職員のICT研修",
    "BCP（業務継続計画）",
    "バックアップ運用",
    "標的型攻撃メール訓練",
    "端末の更新計画",
    "グループウェアの選定",
    "ローコードツール",
    "窓口のデジタル化",
    "書かない窓口",
    "GIS（地理情報システム）",
    "防災情報システム",
    "学校ICT環境",
    "図書館システム",
    "ふるさと納税のシステム",
    "データ連携基盤",
    "個人情報保護制度の運用",
    "委託先の管理",
    "クラウドサービスの利用基準",
    "ウェブアクセシビリティ",
    "行政手続のオンライン化",
]
VENDORS = ["A社", "B社", "C社", "D社", "E社", "自庁開発", "共同利用", "未導入"]
CLOUDS = [
    "Microsoft 365",
    "Google Workspace",
    "Box",
    "LGWAN-ASP",
    "kintone",
    "Slack",
    "LoGoチャット",
]
SHORT_TEXTS = [
    "情報政策課",
    "企画課で所管",
    "令和9年度に予定",
    "検討中",
    "特になし",
    "未定",
    "対応済み",
]
SENTENCES = [
    "人員が限られており、担当者の負担が大きい。",
    "近隣の団体と共同で調達することを検討している。",
    "職員向けの研修を年2回実施している。",
    "予算の確保が課題となっている。",
    "事業者からの提案を受けて比較検討している。",
    "国の補助金を活用して整備した。",
    "利用者アンケートで概ね好評を得ている。",
    "運用ルールを整備したうえで全庁展開した。",
]
TABLE_ROWS = ["正職員", "会計年度任用職員", "派遣・委託"]
TABLE_COLUMNS = ["令和6年度", "令和7年度", "令和8年度"]
UNITS = ["人", "台", "千円", "件", "時間"]
POLL_TOPICS = [
    ("庁内で生成AIを利用していますか。", ["全庁で利用", "一部の部署で利用", "試行中", "未利用"]),
    (
        "グループウェアは何を使っていますか。",
        ["Microsoft 365", "Google Workspace", "国産製品", "その他"],
    ),
    ("テレワークの実施状況を教えてください。", ["常時実施", "必要時のみ", "実施していない"]),
    ("標準化対象システムの移行時期は。", ["令和7年度", "令和8年度", "令和9年度以降", "未定"]),
    ("ペーパーレス会議を導入していますか。", ["導入済み", "導入予定", "予定なし"]),
    ("情報システム担当の職員数は。", ["1人", "2〜3人", "4〜9人", "10人以上"]),
    ("電子契約を導入していますか。", ["導入済み", "検討中", "予定なし"]),
    ("庁内無線LANの整備状況は。", ["全庁整備済み", "一部整備", "未整備"]),
    ("ウェブ会議の主なツールは。", ["Zoom", "Teams", "Webex", "LoGoチャット", "その他"]),
    (
        "次回の研究会で取り上げたいテーマは。",
        ["セキュリティ", "標準化", "AI活用", "人材育成", "窓口DX"],
    ),
]


def _name(rng: random.Random) -> tuple[str, str]:
    surname, surname_kana = rng.choice(ALL_SURNAMES)
    given, given_kana = rng.choice(ALL_GIVEN)
    return f"{surname} {given}", f"{surname_kana} {given_kana}"


def _stage_rng(seed: int, stage: str) -> random.Random:
    # A string seed is hashed with SHA-512 by random.seed: stable across runs and machines.
    return random.Random(f"renkei-scale:{seed}:{stage}")


def _bulk(model: Any, objects: list, *, need_pk: bool = False) -> list:
    created = model.objects.bulk_create(objects, batch_size=BATCH)
    # With DEBUG on, Django keeps the last 9,000 queries: megabytes of INSERT text each.
    reset_queries()
    if need_pk and created and created[0].pk is None:
        raise RuntimeError(
            f"{model.__name__}: the database backend does not return primary keys from "
            "bulk_create (SQLite 3.35 or later and PostgreSQL do)."
        )
    return created


# --- the build ------------------------------------------------------------------------------


@dataclass
class _Build:
    """What the stages hand on to each other."""

    seed: int
    size: ScaleSize
    now: dt.datetime
    today: dt.date
    secretariat_org: Organization | None = None
    organizations: list[Organization] = field(default_factory=list)
    prefecture_codes: list[str] = field(default_factory=list)
    # Organization id → user ids of its accounts, the 団体管理者 first.
    users_by_org: dict[int, list[int]] = field(default_factory=dict)
    secretariat_user_ids: list[int] = field(default_factory=list)
    board_group: Group | None = None
    working_group: Group | None = None
    # Inquiries opened to targets, with their questions and target organizations.
    started: list[tuple[Inquiry, list[Question], list[Organization]]] = field(default_factory=list)

    @property
    def orgs_with_users(self) -> list[Organization]:
        return [o for o in self.organizations if self.users_by_org.get(o.pk)]


def scale_load(
    *, seed: int, size: ScaleSize = FULL, progress: Callable[[str], None] | None = None
) -> ScaleResult:
    """Build the scale council on an empty database; one transaction per stage."""
    if size.people < 1 or size.polls < 0 or not 0 <= size.big_inquiries <= size.inquiries:
        raise ValueError("people must be at least 1 and big inquiries at most inquiries")
    scale_refuse_if_not_empty()
    now = timezone.now().replace(microsecond=0)
    build = _Build(seed=seed, size=size, now=now, today=timezone.localdate(now))
    result = ScaleResult(seed=seed, size=size)
    # Imported here: scale_activity builds on this module's helpers.
    from renkei.devdata import scale_activity

    stages: list[tuple[str, Callable[[random.Random, _Build], dict[str, int]]]] = [
        ("organizations", _organizations),
        ("memberships", _memberships),
        ("people", _people),
        ("inquiries", _inquiries),
        ("answers", _answers),
        ("big inquiries", _big_inquiries),
        ("polls", _polls),
        ("announcements", scale_activity.announcements_stage),
        ("events", scale_activity.events_stage),
        ("meetings", scale_activity.meetings_stage),
        ("forum", scale_activity.forum_stage),
    ]
    for number, (name, run) in enumerate(stages, start=1):
        start = time.perf_counter()
        with transaction.atomic():
            rows = run(_stage_rng(seed, name), build)
        stage = Stage(name=name, seconds=time.perf_counter() - start, rows=rows)
        result.stages.append(stage)
        if progress:
            progress(f"[{number}/{len(stages) + 1}] {stage.line()}")
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        # Fresh tables have no planner statistics until autovacuum gets to them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stage = Stage(name="analyze", seconds=time.perf_counter() - start)
    result.stages.append(stage)
    if progress:
        what = "ANALYZE" if connection.vendor == "postgresql" else "skipped on SQLite"
        progress(f"[{len(stages) + 1}/{len(stages) + 1}] analyze: {what} ({stage.seconds:.1f} s)")
    return result


# --- stages ---------------------------------------------------------------------------------


def _organizations(rng: random.Random, build: _Build) -> dict[str, int]:
    loaded = municipalities_load()
    build.secretariat_org = Organization.objects.filter(
        kind=OrganizationKind.SECRETARIAT, name=SECRETARIAT_NAME
    ).first() or Organization.objects.create(
        name=SECRETARIAT_NAME, kana="ジムキョク", kind=OrganizationKind.SECRETARIAT
    )
    build.organizations = list(
        Organization.objects.filter(kind__in=LISTED_KINDS, abolished_on__isnull=True).order_by(
            "code"
        )
    )
    changed = []
    for org in build.organizations:
        mu, sigma = POPULATION[org.kind]
        population = max(100, int(rng.lognormvariate(mu, sigma)))
        if org.population is None:
            org.population = population
            changed.append(org)
    Organization.objects.bulk_update(changed, ["population"], batch_size=BATCH)
    build.prefecture_codes = sorted({o.prefecture_code for o in build.organizations})
    return {
        "organizations": len(build.organizations),
        "created": loaded.created,
        "populations set": len(changed),
    }


def _memberships(rng: random.Random, build: _Build) -> dict[str, int]:
    memberships = []
    for org in build.organizations:
        joined = JOINED if rng.random() < 0.8 else dt.date(rng.randint(2009, 2024), 4, 1)
        category = (
            MembershipCategory.SPECIAL
            if org.kind == OrganizationKind.PREFECTURE
            else MembershipCategory.REGULAR
        )
        memberships.append(Membership(organization=org, category=category, joined_on=joined))
    _bulk(Membership, memberships)
    return {"memberships": len(memberships)}


def _account_of(*, person: Person, username: str, password: str, role: str) -> User:
    """Give the person's unsaved row its account: both at the username's example address."""
    person.email = f"{username}@example.lg.jp"
    return User(
        username=username, password=password, email=person.email, full_name=person.name, role=role
    )


def _people(rng: random.Random, build: _Build) -> dict[str, int]:
    organizations = build.organizations
    departments = []
    for org in organizations:
        for name in rng.sample(DEPARTMENTS, rng.randint(1, 3)):
            departments.append(Department(organization=org, name=name))
    _bulk(Department, departments, need_pk=True)
    departments_by_org: dict[int, list[Department]] = {}
    for department in departments:
        departments_by_org.setdefault(department.organization_id, []).append(department)

    # One 団体管理者 per organization in a shuffled order, then the rest by size of body.
    count = build.size.people
    order = list(organizations)
    rng.shuffle(order)
    homes = order[: min(count, len(order))]
    rest = count - len(homes)
    if rest > 0:
        weights = [KIND_WEIGHTS[o.kind] for o in organizations]
        homes += rng.choices(organizations, weights=weights, k=rest)
    board = set(rng.sample(range(len(order), count), min(8, max(0, count - len(order)))))

    password = make_password(SCALE_PASSWORD)
    users, people, titles = [], [], []
    for index, org in enumerate(homes):
        name, kana = _name(rng)
        if index < len(order):
            role, title = Role.REPRESENTATIVE, "課長"
        elif index in board:
            role, title = Role.BOARD, "部長"
        else:
            role, title = Role.STAFF, rng.choice(STAFF_TITLES)
        department = rng.choice(departments_by_org[org.pk])
        phone = f"0{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
        person = Person(
            name=name, kana=kana, phone=phone, organization=org, department=department, title=title
        )
        users.append(
            _account_of(person=person, username=scale_username(index), password=password, role=role)
        )
        people.append(person)
        titles.append(title)
    secretariat_department = Department.objects.create(
        organization=build.secretariat_org, name="事務局"
    )
    for number, (name, kana) in enumerate(
        [("事務局 春子", "ジムキョク ハルコ"), ("事務局 夏男", "ジムキョク ナツオ")]
    ):
        username = SECRETARIAT_USERNAME if number == 0 else f"{SECRETARIAT_USERNAME}{number + 1}"
        person = Person(
            name=name,
            kana=kana,
            phone="03-0000-0000",
            organization=build.secretariat_org,
            department=secretariat_department,
            title="主任",
        )
        users.append(
            _account_of(person=person, username=username, password=password, role=Role.SECRETARIAT)
        )
        people.append(person)
        titles.append("主任")
    _bulk(User, users, need_pk=True)
    for user, person in zip(users, people, strict=True):
        person.user = user
    _bulk(Person, people, need_pk=True)
    for user in users[len(homes) :]:
        TOTP.activate(user, SCALE_TOTP_SECRET)
        build.secretariat_user_ids.append(user.pk)
    for user, person in zip(users[: len(homes)], people, strict=False):
        build.users_by_org.setdefault(person.organization_id, []).append(user.pk)

    started = dt.date(build.today.year, 4, 1)
    assignments = [
        Assignment.of_present_post(
            person, title=title, started_on=started - dt.timedelta(days=365 * rng.randint(0, 6))
        )
        for person, title in zip(people, titles, strict=True)
    ]
    _bulk(Assignment, assignments)
    representatives = people[: min(count, len(order))]
    posts = [
        Post(
            organization_id=person.organization_id,
            department=person.department,
            title="情報化担当窓口",
            is_contact=True,
            holder=person,
        )
        for person in representatives
    ]
    _bulk(Post, posts)

    term = (dt.date(ANCHOR_YEAR - 1, 4, 1), dt.date(ANCHOR_YEAR + 1, 3, 31))
    build.board_group = Group.objects.create(
        name="役員会", kind=GroupKind.BOARD, description="本会の役員で構成する。"
    )
    board_people = [people[index] for index in sorted(board)]
    roles = [GroupRole.CHAIR, GroupRole.VICE_CHAIR] + [GroupRole.BOARD_MEMBER] * 6
    members = [
        GroupMember(
            group=build.board_group, person=person, role=role, term_start=term[0], term_end=term[1]
        )
        for person, role in zip(board_people, roles, strict=False)
    ]
    build.working_group = Group.objects.create(
        name="情報セキュリティワーキンググループ",
        kind=GroupKind.WORKING_GROUP,
        description="情報セキュリティポリシーの運用事例を共有する。",
    )
    members += [
        GroupMember(group=build.working_group, organization=org)
        for org in sorted(rng.sample(organizations, min(30, len(organizations))), key=_code)
    ]
    _bulk(GroupMember, members)
    return {
        "departments": len(departments) + 1,
        "users": len(users),
        "people": len(people),
        "assignments": len(assignments),
        "posts": len(posts),
        "group members": len(members),
    }


def _code(org: Organization) -> str:
    return org.code or ""


# --- questions and answer values --------------------------------------------------------------


@dataclass
class _QuestionPlan:
    kind: str
    text: str
    required: bool = True
    choices: list[str] = field(default_factory=list)
    allow_other: bool = False
    unit: str = ""
    table_rows: list[str] = field(default_factory=list)
    table_columns: list[str] = field(default_factory=list)
    table_numeric: bool = True
    # Index (in the plan) of the yes/no question that shows this one when answered はい.
    condition: int | None = None


# Choice questions by kind: their sentence, the options they draw 3 to 6 from, and how often
# they offer その他.
CHOICE_PLANS = {
    QuestionKind.SINGLE: ("について、主に利用している製品・方式を選んでください。", VENDORS, 0.3),
    QuestionKind.MULTIPLE: ("に関連して利用しているサービスをすべて選んでください。", CLOUDS, 0.4),
}


def _question_plan(rng: random.Random, kind: str, topic: str, number: int) -> _QuestionPlan:
    if kind in CHOICE_PLANS:
        sentence, options, other_share = CHOICE_PLANS[kind]
        return _QuestionPlan(
            kind,
            f"{topic}{sentence}（{number}）",
            choices=rng.sample(options, rng.randint(3, 6)),
            allow_other=rng.random() < other_share,
        )
    if kind == QuestionKind.YES_NO:
        return _QuestionPlan(kind, f"{topic}に取り組んでいますか。（{number}）")
    if kind == QuestionKind.NUMBER:
        unit = rng.choice(UNITS)
        return _QuestionPlan(
            kind, f"{topic}に関する数量を記入してください。（{number}）", unit=unit
        )
    if kind == QuestionKind.DATE:
        return _QuestionPlan(kind, f"{topic}の開始（予定）日を記入してください。（{number}）")
    if kind == QuestionKind.SHORT_TEXT:
        return _QuestionPlan(kind, f"{topic}の担当部署を記入してください。（{number}）")
    if kind == QuestionKind.LONG_TEXT:
        return _QuestionPlan(
            kind,
            f"{topic}について、課題や工夫している点を記入してください。（{number}）",
            required=rng.random() < 0.5,
        )
    if kind == QuestionKind.TABLE:
        numeric = rng.random() < 0.85
        return _QuestionPlan(
            kind,
            f"{topic}に関わる職員数を年度別に記入してください。（{number}）",
            table_rows=rng.sample(TABLE_ROWS, rng.randint(2, 3)),
            table_columns=TABLE_COLUMNS[: rng.randint(2, 3)],
            table_numeric=numeric,
        )
    return _QuestionPlan(
        QuestionKind.FILE,
        f"{topic}の関連資料があれば添付してください。（{number}）",
        required=False,
    )


NORMAL_KINDS = [
    QuestionKind.SINGLE,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.YES_NO,
    QuestionKind.YES_NO,
    QuestionKind.NUMBER,
    QuestionKind.NUMBER,
    QuestionKind.DATE,
    QuestionKind.SHORT_TEXT,
    QuestionKind.LONG_TEXT,
    QuestionKind.TABLE,
]
BIG_CYCLE = [
    QuestionKind.YES_NO,
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.NUMBER,
    QuestionKind.SHORT_TEXT,
    QuestionKind.SINGLE,
    QuestionKind.NUMBER,
    QuestionKind.DATE,
    QuestionKind.LONG_TEXT,
    QuestionKind.TABLE,
]


def _plans(rng: random.Random, kinds: Iterable[str], topic: str) -> list[_QuestionPlan]:
    plans: list[_QuestionPlan] = []
    for number, kind in enumerate(kinds, start=1):
        plan = _question_plan(rng, kind, topic, number)
        previous = plans[-1] if plans else None
        if previous is not None and previous.kind == QuestionKind.YES_NO and rng.random() < 0.5:
            plan.condition = len(plans) - 1
        plans.append(plan)
    return plans


def _topic_plans(seed: int, topic_index: int) -> list[_QuestionPlan]:
    """Return the questions of a topic; every inquiry on it asks the same, year after year."""
    rng = _stage_rng(seed, f"topic:{topic_index}")
    kinds = [rng.choice(NORMAL_KINDS) for _ in range(rng.randint(3, 10))]
    return _plans(rng, kinds, TOPICS[topic_index])


def _big_plans(seed: int, number: int) -> list[_QuestionPlan]:
    rng = _stage_rng(seed, f"big:{number}")
    kinds = [BIG_CYCLE[i % len(BIG_CYCLE)] for i in range(BIG_QUESTIONS - 1)]
    return _plans(rng, [*kinds, QuestionKind.FILE], "全団体の情報化の状況")


def _questions_create(inquiry: Inquiry, plans: list[_QuestionPlan]) -> list[Question]:
    """Return unsaved questions; _questions_save writes them and links their conditions."""
    return [
        Question(
            inquiry=inquiry,
            position=number,
            code=f"Q{number}",
            kind=plan.kind,
            text=plan.text,
            required=plan.required,
            choices=plan.choices,
            allow_other=plan.allow_other,
            unit=plan.unit,
            table_rows=plan.table_rows,
            table_columns=plan.table_columns,
            table_numeric=plan.table_numeric,
            condition_value=YES if plan.condition is not None else "",
        )
        for number, plan in enumerate(plans, start=1)
    ]


def _questions_save(groups: list[tuple[list[Question], list[_QuestionPlan]]]) -> int:
    everything = [question for questions, _ in groups for question in questions]
    _bulk(Question, everything, need_pk=True)
    linked = []
    for questions, plans in groups:
        for question, plan in zip(questions, plans, strict=True):
            if plan.condition is not None:
                question.condition_question = questions[plan.condition]
                linked.append(question)
    Question.objects.bulk_update(linked, ["condition_question"], batch_size=BATCH)
    return len(everything)


def _value(rng: random.Random, question: Question) -> tuple[Any, str | None]:
    """Return an answer value for the question and the 「その他」 text if one is needed."""
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        value = rng.choice(question.options)
        return value, ("独自の方式" if value == OTHER_CHOICE else None)
    if kind == QuestionKind.MULTIPLE:
        options = question.options
        picked = set(rng.sample(options, rng.randint(1, min(3, len(options)))))
        values = [option for option in options if option in picked]
        return values, ("庁内独自のツール" if OTHER_CHOICE in values else None)
    if kind == QuestionKind.YES_NO:
        return (YES if rng.random() < 0.6 else NO), None
    if kind == QuestionKind.NUMBER:
        if question.unit == "千円":
            return rng.randint(100, 500_000), None
        if rng.random() < 0.1:
            return round(rng.uniform(0, 100), 1), None
        return rng.randint(0, 300), None
    if kind == QuestionKind.DATE:
        return (dt.date(2020, 4, 1) + dt.timedelta(days=rng.randint(0, 3000))).isoformat(), None
    if kind == QuestionKind.SHORT_TEXT:
        return rng.choice(SHORT_TEXTS), None
    if kind == QuestionKind.LONG_TEXT:
        return "".join(rng.sample(SENTENCES, rng.randint(1, 3))), None
    if kind == QuestionKind.TABLE:
        cells = {
            row: {
                column: (rng.randint(0, 40) if question.table_numeric else rng.choice(SHORT_TEXTS))
                for column in question.table_columns
            }
            for row in question.table_rows
        }
        return cells, None
    return None, None


def _answer_data(
    rng: random.Random, questions: list[Question], *, complete: bool
) -> dict[str, Any]:
    """Return answer data: every shown required question when complete, some when a draft."""
    data: dict[str, Any] = {}
    for question in questions:
        if question.kind == QuestionKind.FILE:
            continue
        wanted = (question.required or rng.random() < 0.75) if complete else rng.random() < 0.6
        if not wanted:
            continue
        value, other = _value(rng, question)
        data[str(question.pk)] = value
        if other:
            data[f"{question.pk}_other"] = other
    hidden = hidden_question_ids(questions, data)
    return {key: value for key, value in data.items() if int(key.split("_")[0]) not in hidden}


# --- inquiries ------------------------------------------------------------------------------

STATUS_WEIGHTS = [
    (InquiryStatus.PUBLISHED, 35),
    (InquiryStatus.CLOSED, 33),
    (InquiryStatus.OPEN, 17),
    (InquiryStatus.DRAFT, 8),
    (InquiryStatus.REVIEW, 4),
    (InquiryStatus.REJECTED, 3),
]
STARTED = (InquiryStatus.OPEN, InquiryStatus.CLOSED, InquiryStatus.PUBLISHED)


def _at(day: dt.datetime, hour: int) -> dt.datetime:
    return timezone.localtime(day).replace(hour=hour, minute=0, second=0, microsecond=0)


def _targets_choose(
    rng: random.Random, build: _Build, requester: Organization
) -> tuple[dict[str, Any], list[Organization], str]:
    """Return a target description, the organizations it reaches and its text."""
    orgs = build.organizations
    prefectures = build.prefecture_codes
    draw = rng.random()
    spec: dict[str, Any]
    if draw < 0.40:
        spec = {"mode": "filter", "prefecture_code": rng.choice(prefectures)}
    elif draw < 0.55:
        spec = {
            "mode": "filter",
            "prefecture_code": rng.choice(prefectures),
            "kind": rng.choice([OrganizationKind.CITY, OrganizationKind.TOWN]),
        }
    elif draw < 0.80:
        picked = sorted(rng.sample(orgs, rng.randint(5, 200)), key=_code)
        spec = {"mode": "pick", "organization_ids": [o.pk for o in picked]}
    elif draw < 0.88:
        spec = {
            "mode": "filter",
            "kind": rng.choice(
                [
                    OrganizationKind.VILLAGE,
                    OrganizationKind.SPECIAL_WARD,
                    OrganizationKind.PREFECTURE,
                ]
            ),
        }
    elif draw < 0.95:
        spec = {"mode": "filter", "population_min": rng.choice([200_000, 300_000, 500_000])}
    else:
        spec = {"mode": "all"}
    targets = _targets_of(spec, orgs, exclude=requester)
    if not targets:
        spec = {"mode": "filter", "prefecture_code": spec.get("prefecture_code") or prefectures[0]}
        targets = _targets_of(spec, orgs, exclude=requester)
    if spec["mode"] == "pick":
        names = "、".join(o.name for o in targets)
        text = f"{len(targets)}団体（{names[:200] + '…' if len(names) > 200 else names}）"
    else:
        text = target_description(spec)
    return spec, targets, text[:255]


def _targets_of(
    spec: dict[str, Any], orgs: list[Organization], *, exclude: Organization | None
) -> list[Organization]:
    """Mirror selectors.target_organizations for this data (every listed body is a member)."""
    orgs = [o for o in orgs if exclude is None or o.pk != exclude.pk]
    if spec["mode"] == "all":
        return orgs
    if spec["mode"] == "pick":
        wanted = set(spec["organization_ids"])
        return [o for o in orgs if o.pk in wanted]
    return [
        o
        for o in orgs
        if spec.get("prefecture_code") in (None, o.prefecture_code)
        and spec.get("kind") in (None, o.kind)
        and (o.population or 0) >= spec.get("population_min", 0)
    ]


def _inquiries(rng: random.Random, build: _Build) -> dict[str, int]:
    count = build.size.inquiries - build.size.big_inquiries
    members = build.orgs_with_users
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    topic_plans = [_topic_plans(build.seed, index) for index in range(len(TOPICS))]
    last_by_topic: dict[int, Inquiry] = {}
    records = []
    for number in range(count):
        status = rng.choices(statuses, weights=weights)[0]
        if rng.random() < 0.15 or not members:
            requester = build.secretariat_org
            author = rng.choice(build.secretariat_user_ids)
        else:
            requester = rng.choice(members)
            author = rng.choice(build.users_by_org[requester.pk])
        topic = rng.randrange(len(TOPICS))
        created, opened, deadline, closed, published = _inquiry_times(rng, build.now, status)
        year = ANCHOR_YEAR - (build.now - created).days // 365
        spec, targets, text = _targets_choose(rng, build, requester)
        inquiry = Inquiry(
            title=f"{TOPICS[topic]}に関する調査（{year}年度・{number + 1}）",
            purpose=f"{TOPICS[topic]}について、各団体の状況を調査します。\n\n- 回答は集計して会員に共有します。\n- 不明な点は照会団体までお問い合わせください。",
            contact=f"{requester.name} 情報政策課（内線{rng.randint(1000, 9999)}）",
            requester=requester,
            created_by_id=author,
            status=status,
            deadline=deadline,
            requires_confirmation=rng.random() < 0.2,
            results_visibility=rng.choice(ResultsVisibility.values),
            hide_names=rng.random() < 0.1,
            reminder_business_days=rng.choice([None, 2, 2, 3]),
            target_description=text,
            target_spec=spec,
            opened_at=opened,
            closed_at=closed,
            published_at=published,
        )
        if status in (InquiryStatus.OPEN, InquiryStatus.REJECTED) and requester.kind != (
            OrganizationKind.SECRETARIAT
        ):
            inquiry.reviewed_by_id = rng.choice(build.secretariat_user_ids)
            inquiry.reviewed_at = opened or created + dt.timedelta(days=1)
            if status == InquiryStatus.REJECTED:
                inquiry.review_note = "照会先と設問の内容を見直してください。"
        if status == InquiryStatus.OPEN and rng.random() < 0.1:
            inquiry.auto_reminder_sent_at = build.now - dt.timedelta(hours=rng.randint(1, 48))
        # Half of the inquiries on a topic copy the previous one (前年度の照会を複製).
        source = last_by_topic.get(topic) if rng.random() < 0.5 else None
        records.append((inquiry, created, topic, targets, source))
        if status in STARTED:
            last_by_topic[topic] = inquiry
    inquiries = [record[0] for record in records]
    _bulk(Inquiry, inquiries, need_pk=True)
    # Creation times and copy sources can only be set once the rows (and their ids) exist.
    for inquiry, created, _, _, source in records:
        inquiry.created_at = created
        inquiry.updated_at = max(t for t in (created, inquiry.opened_at, inquiry.closed_at) if t)
        inquiry.copied_from = source
    Inquiry.objects.bulk_update(
        inquiries, ["created_at", "updated_at", "copied_from"], batch_size=BATCH
    )
    groups = []
    for inquiry, _, topic, _, _ in records:
        groups.append((_questions_create(inquiry, topic_plans[topic]), topic_plans[topic]))
    question_count = _questions_save(groups)
    targets: list[Target] = []
    target_count = 0
    for (inquiry, _, _, orgs, _), (questions, _) in zip(records, groups, strict=True):
        if inquiry.status in STARTED:
            targets += [Target(inquiry_id=inquiry.pk, organization_id=o.pk) for o in orgs]
            build.started.append((inquiry, questions, orgs))
        if len(targets) >= 20 * BATCH:
            target_count += len(_bulk(Target, targets))
            targets = []
    target_count += len(_bulk(Target, targets))
    return {"inquiries": len(inquiries), "questions": question_count, "targets": target_count}


def _inquiry_times(
    rng: random.Random, now: dt.datetime, status: str
) -> tuple[
    dt.datetime, dt.datetime | None, dt.datetime | None, dt.datetime | None, dt.datetime | None
]:
    """Return created, opened, deadline, closed and published times that fit the status."""
    day = dt.timedelta(days=1)
    if status in (InquiryStatus.DRAFT, InquiryStatus.REVIEW, InquiryStatus.REJECTED):
        created = now - day * rng.randint(1, 60) - dt.timedelta(minutes=rng.randint(0, 600))
        deadline = None if rng.random() < 0.3 else _at(now + day * rng.randint(14, 60), 17)
        return created, None, deadline, None, None
    if status == InquiryStatus.OPEN:
        created = now - day * rng.randint(5, 40) - dt.timedelta(minutes=rng.randint(0, 600))
        opened = created + day * rng.randint(1, 4)
        return created, opened, _at(now + day * rng.randint(2, 40), 17), None, None
    low = 90 if status == InquiryStatus.PUBLISHED else 60
    created = now - day * rng.randint(low, 3650) - dt.timedelta(minutes=rng.randint(0, 600))
    opened = created + day * rng.randint(1, 5)
    deadline = _at(opened + day * rng.randint(14, 45), 17)
    closed = deadline + day * rng.randint(0, 3)
    published = closed + day * rng.randint(3, 20) if status == InquiryStatus.PUBLISHED else None
    return created, opened, deadline, closed, published


def _answers(rng: random.Random, build: _Build) -> dict[str, int]:
    counts = {"answers": 0, "versions": 0}
    for start in range(0, len(build.started), CHUNK):
        answers: list[Answer] = []
        versions: list[list[AnswerVersion]] = []
        for inquiry, questions, targets in build.started[start : start + CHUNK]:
            if inquiry.status == InquiryStatus.OPEN:
                share = rng.uniform(0.2, 0.7)
            else:
                share = rng.uniform(0.5, 0.95)
            answering = rng.sample(targets, round(len(targets) * share))
            for org in sorted(answering, key=_code):
                answer, history = _answer(rng, build, inquiry, questions, org)
                answers.append(answer)
                versions.append(history)
        _answers_write(answers, versions, counts)
    return counts


def _answers_write(
    answers: list[Answer], versions: list[list[AnswerVersion]], counts: dict[str, int]
) -> None:
    _bulk(Answer, answers, need_pk=True)
    rows = []
    for answer, history in zip(answers, versions, strict=True):
        for version in history:
            version.answer_id = answer.pk
            rows.append(version)
    _bulk(AnswerVersion, rows)
    counts["answers"] += len(answers)
    counts["versions"] += len(rows)


def _answer(
    rng: random.Random,
    build: _Build,
    inquiry: Inquiry,
    questions: list[Question],
    org: Organization,
    *,
    everyone: bool = False,
) -> tuple[Answer, list[AnswerVersion]]:
    """Return an unsaved answer of the organization and its submitted versions."""
    users = build.users_by_org.get(org.pk) or [None]
    representative = users[0]
    author = rng.choice(users)
    proxy = not everyone and rng.random() < 0.02
    if proxy:
        author = rng.choice(build.secretariat_user_ids)
    opened = inquiry.opened_at or build.now
    end = min(build.now, inquiry.deadline or build.now)
    span = max(60, int((end - opened).total_seconds()))

    def moment() -> dt.datetime:
        # One draw whatever the span: the span depends on the clock, the data must not.
        return opened + dt.timedelta(seconds=int(60 + (span - 60) * rng.random()))

    kind_draw = rng.random()
    if everyone or kind_draw < 0.90:
        kind = AnswerKind.ANSWERED
    elif kind_draw < 0.97:
        kind = AnswerKind.NOT_APPLICABLE
    else:
        kind = AnswerKind.DECLINED
    reason = "担当者不在のため回答できません。" if kind == AnswerKind.DECLINED else ""
    submitted = everyone or (
        rng.random() < (0.55 if inquiry.status == InquiryStatus.OPEN else 0.97)
    )
    answer = Answer(
        inquiry_id=inquiry.pk,
        organization_id=org.pk,
        kind=kind,
        reason=reason,
        updated_by_id=author,
        by_proxy=proxy,
    )
    history: list[AnswerVersion] = []
    if submitted:
        number_of_versions = rng.choices([1, 2, 3], weights=[85, 12, 3])[0]
        times = sorted(moment() for _ in range(number_of_versions))
        for number, at in enumerate(times, start=1):
            data = (
                _answer_data(rng, questions, complete=True) if kind == AnswerKind.ANSWERED else {}
            )
            history.append(
                AnswerVersion(
                    number=number,
                    kind=kind,
                    reason=reason,
                    data=data,
                    submitted_by_id=author,
                    submitted_at=at,
                    by_proxy=proxy,
                )
            )
        answer.data = history[-1].data
        answer.status = AnswerStatus.SUBMITTED
        answer.submitted_by_id = author
        answer.submitted_at = times[-1]
        answer.revision = number_of_versions + rng.randint(1, 3)
        if inquiry.requires_confirmation and representative is not None:
            answer.confirmed_by_id = representative
            answer.confirmed_at = times[-1] - dt.timedelta(minutes=rng.randint(1, 120))
        if inquiry.status == InquiryStatus.OPEN and not everyone and rng.random() < 0.05:
            # 修正中: changed again after the last submission.
            answer.status = AnswerStatus.DRAFT
            answer.data = _answer_data(rng, questions, complete=True)
            answer.revision += 1
    else:
        answer.data = (
            _answer_data(rng, questions, complete=False) if kind == AnswerKind.ANSWERED else {}
        )
        answer.revision = rng.randint(1, 4)
        answer.status = AnswerStatus.DRAFT
        if inquiry.requires_confirmation and inquiry.status == InquiryStatus.OPEN:
            step = rng.random()
            if step < 0.3:
                answer.status = AnswerStatus.AWAITING_CONFIRMATION
                answer.data = _answer_data(rng, questions, complete=True)
                answer.confirmation_requested_by_id = author
                answer.confirmation_requested_at = moment()
            elif step < 0.4 and representative is not None:
                answer.status = AnswerStatus.CONFIRMED
                answer.data = _answer_data(rng, questions, complete=True)
                answer.confirmed_by_id = representative
                answer.confirmed_at = moment()
    return answer, history


def _big_inquiries(rng: random.Random, build: _Build) -> dict[str, int]:
    counts = {"inquiries": 0, "questions": 0, "targets": 0, "answers": 0, "versions": 0}
    requester = build.secretariat_org
    targets = build.organizations
    for number in range(build.size.big_inquiries):
        published = number % 2 == 0
        day = dt.timedelta(days=1)
        if published:
            created = build.now - day * (200 + 365 * (number // 2))
            opened = created + day
            deadline = _at(opened + 45 * day, 17)
            times = {
                "status": InquiryStatus.PUBLISHED,
                "opened_at": opened,
                "deadline": deadline,
                "closed_at": deadline + day,
                "published_at": deadline + 20 * day,
            }
        else:
            created = build.now - day * 12
            times = {
                "status": InquiryStatus.OPEN,
                "opened_at": created + day,
                "deadline": _at(build.now + 30 * day, 17),
            }
        inquiry = Inquiry.objects.create(
            title=f"{BIG_TITLE_PREFIX}全団体の情報化の状況調査（{ANCHOR_YEAR - number // 2}年度・{number + 1}）",
            purpose="全会員団体の情報化の状況を毎年調査します（60問）。",
            contact=f"{SECRETARIAT_NAME}（代表）",
            requester=requester,
            created_by_id=build.secretariat_user_ids[0],
            results_visibility=ResultsVisibility.MEMBERS,
            target_spec={"mode": "all"},
            target_description=target_description({"mode": "all"}),
            reminder_business_days=2,
            **times,
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=created)
        plans = _big_plans(build.seed, number)
        questions = _questions_create(inquiry, plans)
        counts["questions"] += _questions_save([(questions, plans)])
        _bulk(Target, [Target(inquiry_id=inquiry.pk, organization_id=o.pk) for o in targets])
        counts["targets"] += len(targets)
        counts["inquiries"] += 1
        for start in range(0, len(targets), 500):
            answers, versions = [], []
            for org in targets[start : start + 500]:
                answer, history = _answer(rng, build, inquiry, questions, org, everyone=True)
                answers.append(answer)
                versions.append(history)
            _answers_write(answers, versions, counts)
    return counts


# --- polls ----------------------------------------------------------------------------------


def _polls(rng: random.Random, build: _Build) -> dict[str, int]:
    today = build.today
    members = build.orgs_with_users
    org_of_user = {user: org.pk for org in members for user in build.users_by_org[org.pk]}
    counts = {"polls": 0, "choices": 0, "votes": 0, "vote choices": 0}
    for start in range(0, build.size.polls, CHUNK):
        polls, choice_lists = [], []
        for number in range(start, min(start + CHUNK, build.size.polls)):
            poll, texts = _poll(rng, build, number, members, today)
            polls.append(poll)
            choice_lists.append(texts)
        _bulk(Poll, polls, need_pk=True)
        choices = [
            Choice(poll=poll, position=position, text=text)
            for poll, texts in zip(polls, choice_lists, strict=True)
            for position, text in enumerate(texts, start=1)
        ]
        _bulk(Choice, choices, need_pk=True)
        by_poll: dict[int, list[Choice]] = {}
        for choice in choices:
            by_poll.setdefault(choice.poll_id, []).append(choice)
        votes, marks = [], []
        for poll in polls:
            if poll.status != PollStatus.APPROVED or poll.start_date > today:
                continue
            ballots = _votes(rng, build, poll, by_poll[poll.pk], members, org_of_user)
            for vote, picked in ballots:
                votes.append(vote)
                marks.append(picked)
        _bulk(Vote, votes, need_pk=True)
        rows = [
            VoteChoice(vote_id=vote.pk, choice_id=choice.pk)
            for vote, picked in zip(votes, marks, strict=True)
            for choice in picked
        ]
        _bulk(VoteChoice, rows)
        counts["polls"] += len(polls)
        counts["choices"] += len(choices)
        counts["votes"] += len(votes)
        counts["vote choices"] += len(rows)
    return counts


def _poll(
    rng: random.Random, build: _Build, number: int, members: list[Organization], today: dt.date
) -> tuple[Poll, list[str]]:
    question, texts = POLL_TOPICS[rng.randrange(len(POLL_TOPICS))]
    status = rng.choices(
        [PollStatus.APPROVED, PollStatus.REQUESTED, PollStatus.REJECTED], weights=[90, 7, 3]
    )[0]
    phase = rng.choices(["past", "open", "upcoming"], weights=[75, 15, 10])[0]
    if status != PollStatus.APPROVED:
        phase = "upcoming"
    if phase == "past":
        start = today - dt.timedelta(days=rng.randint(40, 3000))
        end = start + dt.timedelta(days=rng.randint(6, 30))
    elif phase == "open":
        start = today - dt.timedelta(days=rng.randint(0, 10))
        end = today + dt.timedelta(days=rng.randint(1, 20))
    else:
        start = today + dt.timedelta(days=rng.randint(1, 30))
        end = start + dt.timedelta(days=rng.randint(6, 30))
    requested = members and rng.random() < 0.4
    requester = rng.choice(members) if requested else None
    author = (
        rng.choice(build.users_by_org[requester.pk])
        if requester
        else rng.choice(build.secretariat_user_ids)
    )
    poll = Poll(
        question=f"{question}（第{number + 1}回）",
        description="選択肢から1つ（複数選択可の場合は該当するものすべて）を選んでください。",
        start_date=start,
        end_date=end,
        vote_scope=VoteScope.ORGANIZATION if rng.random() < 0.7 else VoteScope.PERSON,
        multiple_choice=rng.random() < 0.25,
        results_visibility=rng.choice(PollResultsVisibility.values),
        status=status,
        requesting_organization=requester,
        created_by_id=author,
    )
    if requester and status != PollStatus.REQUESTED:
        poll.reviewed_by_id = rng.choice(build.secretariat_user_ids)
        poll.reviewed_at = build.now - dt.timedelta(days=max(1, (today - start).days + 3))
        if status == PollStatus.REJECTED:
            poll.rejection_reason = "同様の調査を最近実施したため。"
    if phase == "open" and rng.random() < 0.05:
        poll.closed_early_at = build.now - dt.timedelta(hours=rng.randint(1, 24))
        poll.closed_early_by_id = rng.choice(build.secretariat_user_ids)
    return poll, texts


def _votes(
    rng: random.Random,
    build: _Build,
    poll: Poll,
    choices: list[Choice],
    members: list[Organization],
    org_of_user: dict[int, int],
) -> list[tuple[Vote, list[Choice]]]:
    weights = [rng.random() ** 2 + 0.05 for _ in choices]
    all_users = list(org_of_user)
    ballots = []
    if poll.vote_scope == VoteScope.ORGANIZATION:
        voters = rng.sample(members, round(len(members) * rng.uniform(0.1, 0.6)))
        for org in sorted(voters, key=_code):
            user = rng.choice(build.users_by_org[org.pk])
            ballots.append((user, org.pk, f"organization:{org.pk}"))
    else:
        voters = rng.sample(all_users, round(len(all_users) * rng.uniform(0.01, 0.08)))
        ballots = [(user, org_of_user[user], f"person:{user}") for user in sorted(voters)]
    result = []
    for user, org_id, key in ballots:
        count = rng.choice([1, 1, 2, 3]) if poll.multiple_choice else 1
        picked: list[Choice] = []
        while len(picked) < min(count, len(choices)):
            choice = rng.choices(choices, weights=weights)[0]
            if choice not in picked:
                picked.append(choice)
        vote = Vote(poll_id=poll.pk, voter_id=user, organization_id=org_id, voter_key=key)
        result.append((vote, sorted(picked, key=lambda c: c.position)))
    return result


# --- digest ---------------------------------------------------------------------------------


def scale_digest() -> str:
    """Return a SHA-256 of the generated rows, by natural keys (no ids, no clock times).

    Two databases seeded with the same seed give the same digest.
    """
    digest = hashlib.sha256()

    def add(*row: Any) -> None:
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode())
        digest.update(b"\n")

    codes = dict(Organization.objects.values_list("pk", "code"))
    for row in (
        Organization.objects.filter(code__isnull=False)
        .order_by("code")
        .values_list("code", "population")
    ):
        add("org", *row)
    for row in Membership.objects.order_by("organization__code").values_list(
        "organization__code", "category", "joined_on"
    ):
        add("membership", row[0], row[1], row[2].isoformat())
    for row in (
        Person.objects.order_by("user__username")
        .values_list(
            "user__username", "user__role", "name", "kana", "organization__code", "department__name"
        )
        .iterator()
    ):
        add("person", *row)
    usernames = dict(User.objects.values_list("pk", "username"))
    question_codes = dict(Question.objects.values_list("pk", "code"))
    numbers = {
        pk: n for n, pk in enumerate(Inquiry.objects.order_by("pk").values_list("pk", flat=True))
    }

    def remap(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in data.items():
            question_id, _, suffix = key.partition("_")
            out[question_codes[int(question_id)] + (f"_{suffix}" if suffix else "")] = value
        return out

    for inquiry in Inquiry.objects.order_by("pk"):
        spec = dict(inquiry.target_spec)
        if "organization_ids" in spec:
            spec["organization_ids"] = sorted(codes[pk] for pk in spec["organization_ids"])
        add(
            "inquiry",
            inquiry.title,
            inquiry.status,
            codes[inquiry.requester_id],
            usernames.get(inquiry.created_by_id),
            spec,
            inquiry.results_visibility,
            inquiry.hide_names,
            inquiry.requires_confirmation,
            numbers.get(inquiry.copied_from_id),
        )
    for row in Question.objects.order_by("inquiry_id", "position").values_list(
        "inquiry_id", "code", "kind", "text", "required", "choices", "condition_question__code"
    ):
        add("question", numbers[row[0]], *row[1:])
    for row in Target.objects.order_by("inquiry_id", "organization__code").values_list(
        "inquiry_id", "organization__code"
    ):
        add("target", numbers[row[0]], row[1])
    for answer in Answer.objects.order_by("inquiry_id", "organization__code").iterator():
        add(
            "answer",
            numbers[answer.inquiry_id],
            codes[answer.organization_id],
            answer.status,
            answer.kind,
            answer.revision,
            usernames.get(answer.updated_by_id),
            remap(answer.data),
        )
    for version in AnswerVersion.objects.order_by(
        "answer__inquiry_id", "answer__organization__code", "number"
    ).select_related("answer"):
        add(
            "version",
            numbers[version.answer.inquiry_id],
            codes[version.answer.organization_id],
            version.number,
            remap(version.data),
        )
    poll_numbers = {
        pk: n for n, pk in enumerate(Poll.objects.order_by("pk").values_list("pk", flat=True))
    }
    for row in Poll.objects.order_by("pk").values_list(
        "pk", "question", "status", "vote_scope", "multiple_choice"
    ):
        add("poll", poll_numbers[row[0]], *row[1:])
    for row in VoteChoice.objects.order_by(
        "vote__poll_id", "vote__voter__username", "choice__position"
    ).values_list(
        "vote__poll_id", "vote__voter__username", "vote__organization__code", "choice__position"
    ):
        add("vote", poll_numbers[row[0]], *row[1:])
    return digest.hexdigest()
