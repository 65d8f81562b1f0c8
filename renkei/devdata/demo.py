"""Demo data: a council modelled on the 全国市町村情報管理主管課長会 of the source documents."""

import datetime as dt
import random
from dataclasses import dataclass, field

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.devdata.demo_announcements import demo_announcements_load
from renkei.devdata.demo_events import demo_events_load
from renkei.devdata.demo_forum import demo_forum_load
from renkei.devdata.demo_inquiries import demo_inquiries_load
from renkei.devdata.demo_lists import demo_lists_load
from renkei.devdata.demo_meetings import demo_meetings_load
from renkei.directory.models import (
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
from renkei.directory.selectors import membership_summary

DEMO_PASSWORD = "renkei-demo-2026"
# A fixed TOTP secret for the demo secretariat login, so a person can add it to an app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
JOINED = dt.date(2008, 4, 1)
BOARD_TERM = (dt.date(2025, 4, 1), dt.date(2027, 3, 31))

# The seeds' count on 平成21年2月1日: 1,403団体（市691、町464、村96）.
MEMBER_COUNTS = {
    OrganizationKind.CITY: 691,
    OrganizationKind.TOWN: 464,
    OrganizationKind.VILLAGE: 96,
    OrganizationKind.SPECIAL_WARD: 23,
}
# Organizations the seeds name; they are always members.
NAMED = [
    "深川市",
    "多治見市",
    "和木町",
    "金沢市",
    "当別町",
    "町田市",
    "美里町",
    "紫波町",
    "北本市",
    "所沢市",
]
BOARD = [
    ("012289", "深川市", GroupRole.CHAIR),
    ("212041", "多治見市", GroupRole.VICE_CHAIR),
    ("353213", "和木町", GroupRole.BOARD_MEMBER),
    ("172014", "金沢市", GroupRole.BOARD_MEMBER),
    ("132098", "町田市", GroupRole.BOARD_MEMBER),
    ("013030", "当別町", GroupRole.BOARD_MEMBER),
]
SURNAMES = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
]
GIVEN = [
    ("健一", "ケンイチ"),
    ("誠", "マコト"),
    ("直美", "ナオミ"),
    ("裕子", "ユウコ"),
    ("大輔", "ダイスケ"),
    ("美穂", "ミホ"),
    ("浩", "ヒロシ"),
    ("恵", "メグミ"),
    ("隆", "タカシ"),
    ("智子", "トモコ"),
    ("翔太", "ショウタ"),
    ("陽子", "ヨウコ"),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    organization: str
    note: str = ""


@dataclass
class DemoResult:
    members: int = 0
    people: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def _name(rng: random.Random) -> tuple[str, str]:
    surname, surname_kana = rng.choice(SURNAMES)
    given, given_kana = rng.choice(GIVEN)
    return f"{surname} {given}", f"{surname_kana} {given_kana}"


def demo_is_loaded() -> bool:
    """Tell whether the demo council is already in the database."""
    return User.objects.filter(username="jimukyoku").exists()


def demo_load(*, seed: int = 2026) -> DemoResult:
    """Create the demo council; refuses to run twice on the same database."""
    if demo_is_loaded():
        raise RuntimeError("デモデータはすでに読み込まれています。")
    rng = random.Random(seed)
    municipalities_load()
    result = DemoResult()
    with transaction.atomic():
        secretariat_org = Organization.objects.create(
            name="全国市町村情報管理主管課長会事務局",
            kana="ジムキョク",
            kind=OrganizationKind.SECRETARIAT,
        )
        soumu = Organization.objects.create(
            name="総務省", kana="ソウムショウ", kind=OrganizationKind.NATIONAL
        )
        nishiiburi = Organization.objects.create(
            name="西いぶり広域連合",
            kana="ニシイブリコウイキレンゴウ",
            kind=OrganizationKind.UNION,
            prefecture_code="01",
        )
        members = _choose_members(rng)
        memberships = [
            Membership(organization=o, category=MembershipCategory.REGULAR, joined_on=JOINED)
            for o in [*members, nishiiburi]
        ]
        memberships += [
            Membership(organization=o, category=MembershipCategory.SPECIAL, joined_on=JOINED)
            for o in Organization.objects.filter(kind=OrganizationKind.PREFECTURE)
        ]
        memberships.append(
            Membership(organization=soumu, category=MembershipCategory.OBSERVER, joined_on=JOINED)
        )
        Membership.objects.bulk_create(memberships)
        # Counted as 会員状況 counts (observers such as 総務省 are not members), so the number
        # printed by load_demo is the one the secretariat then sees.
        result.members = membership_summary(on=timezone.localdate()).total
        result.people = _people(rng, [*members, nishiiburi])
        _logins(secretariat_org=secretariat_org, soumu=soumu)
        result.logins = demo_logins()
        _board(rng)
        demo_inquiries_load(
            secretariat=User.objects.get(username="jimukyoku"),
            password_hash=User.objects.get(username="tobetsu").password,
        )
        demo_announcements_load(secretariat=User.objects.get(username="jimukyoku"))
        demo_events_load(secretariat=User.objects.get(username="jimukyoku"), rng=rng)
        demo_meetings_load(secretariat=User.objects.get(username="jimukyoku"))
        demo_forum_load(secretariat=User.objects.get(username="jimukyoku"))
        demo_lists_load(secretariat=User.objects.get(username="jimukyoku"))
        Group.objects.create(
            name="情報セキュリティワーキンググループ",
            kind=GroupKind.WORKING_GROUP,
            description="情報セキュリティポリシーの運用事例を共有する。",
        )
    return result


def _choose_members(rng: random.Random) -> list[Organization]:
    by_kind: dict[str, list[Organization]] = {}
    for org in Organization.objects.exclude(kind=OrganizationKind.PREFECTURE).order_by("code"):
        by_kind.setdefault(org.kind, []).append(org)
    chosen: list[Organization] = []
    for kind, count in MEMBER_COUNTS.items():
        pool = by_kind.get(kind, [])
        named = [o for o in pool if o.name in NAMED]
        rest = [o for o in pool if o.name not in NAMED]
        chosen += named + rng.sample(rest, max(0, min(count, len(pool)) - len(named)))
    return chosen


def _people(rng: random.Random, organizations: list[Organization]) -> int:
    departments = Department.objects.bulk_create(
        [
            Department(
                organization=o, name=rng.choice(["情報政策課", "企画課", "総務課", "情報管理課"])
            )
            for o in organizations
        ]
    )
    people = []
    for dept in departments:
        name, kana = _name(rng)
        code = dept.organization.code or str(dept.organization.pk)
        people.append(
            Person(
                name=name,
                kana=kana,
                organization=dept.organization,
                department=dept,
                title=rng.choice(["課長", "係長", "主査", "主任"]),
                email=f"it-{code}@example.lg.jp",
                phone=f"0{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            )
        )
    Person.objects.bulk_create(people)
    people = list(
        Person.objects.filter(organization__in=organizations).select_related("department")
    )
    Assignment.objects.bulk_create(
        [
            Assignment.of_present_post(p, title=p.title, started_on=dt.date(2026, 4, 1))
            for p in people
        ]
    )
    Post.objects.bulk_create(
        [
            Post(
                organization_id=p.organization_id,
                department=p.department,
                title="情報化担当窓口",
                is_contact=True,
                holder=p,
            )
            for p in people
        ]
    )
    return len(people)


def _login(
    *,
    username: str,
    name: str,
    kana: str,
    role: str,
    organization: Organization,
    department: str,
    title: str,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        email=f"{username}@example.lg.jp",
        full_name=name,
        role=role,
    )
    dept, _ = Department.objects.get_or_create(organization=organization, name=department)
    person = Person.objects.create(
        name=name,
        kana=kana,
        email=user.email,
        phone="03-0000-0000",
        organization=organization,
        department=dept,
        title=title,
        user=user,
    )
    Assignment.of_present_post(person, title=title, started_on=dt.date(2025, 4, 1)).save()
    return user


# One demo login per role: (user ID, name, kana, role, organization, department, title); the
# organization is a code, or "secretariat" / "soumu" for the two without one.
LOGINS = [
    (
        "jimukyoku",
        "事務局 花子",
        "ジムキョク ハナコ",
        Role.SECRETARIAT,
        "secretariat",
        "事務局",
        "主任",
    ),
    ("fukagawa", "深川 一郎", "フカガワ イチロウ", Role.BOARD, "012289", "企画課", "課長"),
    (
        "tobetsu-kanri",
        "当別 太郎",
        "トウベツ タロウ",
        Role.REPRESENTATIVE,
        "013030",
        "総務課",
        "課長",
    ),
    ("tobetsu", "当別 次郎", "トウベツ ジロウ", Role.STAFF, "013030", "総務課", "主任"),
    ("soumu", "総務 四郎", "ソウム シロウ", Role.OBSERVER, "soumu", "自治行政局", "課長補佐"),
]


def _logins(*, secretariat_org: Organization, soumu: Organization) -> None:
    uncoded = {"secretariat": secretariat_org, "soumu": soumu}
    for username, name, kana, role, organization, department, title in LOGINS:
        user = _login(
            username=username,
            name=name,
            kana=kana,
            role=role,
            organization=uncoded.get(organization) or Organization.objects.get(code=organization),
            department=department,
            title=title,
        )
        if role == Role.SECRETARIAT:
            TOTP.activate(user, DEMO_TOTP_SECRET)


def demo_logins() -> list[DemoLogin]:
    """Return the demo logins, one per role."""
    return [
        DemoLogin(
            "jimukyoku",
            "事務局",
            "全国市町村情報管理主管課長会事務局",
            f"二要素認証: 認証アプリに秘密鍵 {DEMO_TOTP_SECRET} を登録",
        ),
        DemoLogin("fukagawa", "役員（会長）", "深川市"),
        DemoLogin("tobetsu-kanri", "団体管理者", "当別町"),
        DemoLogin("tobetsu", "会員職員", "当別町"),
        DemoLogin("soumu", "オブザーバ", "総務省"),
    ]


def _board(rng: random.Random) -> None:
    board = Group.objects.create(
        name="役員会", kind=GroupKind.BOARD, description="本会の役員で構成する（細則第2条）。"
    )
    board_user = User.objects.get(username="fukagawa")
    for code, _, role in BOARD:
        organization = Organization.objects.get(code=code)
        person = (
            board_user.person if code == "012289" else organization.people.order_by("pk").first()
        )
        GroupMember.objects.create(
            group=board, person=person, role=role, term_start=BOARD_TERM[0], term_end=BOARD_TERM[1]
        )
