"""Demo seminars and trainings, from the source documents (seed 000's トピックスセミナー, seed 002's
研修 themes): one held this fiscal year with its 80 participants, two open for registration, a
draft, and next fiscal year's open 研修ニーズ調査 with members' answers."""

import datetime as dt
import random

from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.fiscal_year import fiscal_year_label, fiscal_year_of
from renkei.directory.models import Person
from renkei.events import services
from renkei.events.models import (
    Audience,
    Delivery,
    Event,
    EventKind,
    EventStatus,
    Level,
    Registration,
    RegistrationStatus,
    Theme,
)

# Seed 000, (2) トピックスセミナー: four talks with their speakers.
TALKS = [
    (
        "講演1",
        "県・市町村共同電子申請・届出サービスの取組みについて",
        "上澤 政裕",
        "長野県企画部情報統計課",
        "電子自治体推進係長",
    ),
    (
        "講演2",
        "福岡県共通基盤によるシステム構築",
        "望月 昌樹",
        "福岡県企画・地域振興部情報政策課",
        "情報企画監",
    ),
    (
        "講演3",
        "北本市におけるレガシー改革への取組み",
        "新井 信弘",
        "北本市総合政策部政策推進課",
        "情報政策担当主幹",
    ),
    (
        "講演4",
        "西いぶり広域連合の共同アウトソーシング",
        "木村 壽信",
        "西いぶり広域連合共同電算室",
        "主幹",
    ),
]
TIMES = [(dt.time(13, 40), dt.time(14, 30)), (dt.time(14, 30), dt.time(15, 20))]
TIMES += [(dt.time(15, 30), dt.time(16, 20)), (dt.time(16, 20), dt.time(17, 10))]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def demo_events_load(*, secretariat: User, rng: random.Random) -> None:
    """Create the council's seminars and trainings with their registrations."""
    today = timezone.localdate()
    people = list(
        Person.objects.exclude(email="")
        .filter(organization__isnull=False)
        .select_related("organization", "department")
        .order_by("pk")[:400]
    )
    rng.shuffle(people)

    held_day = today - dt.timedelta(days=38)
    seminar = services.event_create(
        by=secretariat,
        draft=services.EventDraft(
            title="トピックスセミナー「共同化による情報システムの最適化」",
            kind=EventKind.SEMINAR,
            starts_at=_at(held_day, 13, 30),
            ends_at=_at(held_day, 17, 10),
            description=(
                "地方自治情報センターが主催する「トピックスセミナー」を本会のセミナーとして"
                "位置付けて実施します。地方公共団体の事例発表を中心に、半日程度で行います。\n\n"
                "本会の会員以外の市町村の方も参加いただけます。"
            ),
            venue="東京国際フォーラム ホールD7",
            capacity=120,
            audience=Audience.OPEN,
        ),
    )
    services.sessions_set(
        event=seminar,
        by=secretariat,
        sessions=[
            services.SessionDraft(
                label=label,
                theme=theme,
                speaker_name=speaker,
                speaker_affiliation=affiliation,
                speaker_title=title,
                starts_at=start,
                ends_at=end,
            )
            for (label, theme, speaker, affiliation, title), (start, end) in zip(
                TALKS, TIMES, strict=True
            )
        ],
    )
    # Held before the demo's today: published then, 80 participants checked in (seed 000:
    # 「参加者数 80名」), five of them from municipalities that are not members yet.
    Event.objects.filter(pk=seminar.pk).update(
        status=EventStatus.PUBLISHED, published_at=seminar.starts_at - dt.timedelta(days=45)
    )
    attended = [
        Registration(
            event=seminar,
            status=RegistrationStatus.CONFIRMED,
            person=person,
            organization=person.organization,
            name=person.name,
            organization_name=person.organization.name,
            department=person.department.name if person.department_id else "",
            email=person.email,
            is_member=True,
            confirmed_at=seminar.starts_at - dt.timedelta(days=20),
            checked_in_at=seminar.starts_at - dt.timedelta(minutes=rng.randint(5, 40)),
            checked_in_by=secretariat,
        )
        for person in people[:75]
    ]
    attended += [
        Registration(
            event=seminar,
            status=RegistrationStatus.CONFIRMED,
            name=name,
            organization_name=town,
            department="総務課",
            email=f"joho{n}@{domain}.example.lg.jp",
            is_member=False,
            confirmed_at=seminar.starts_at - dt.timedelta(days=15),
            checked_in_at=seminar.starts_at - dt.timedelta(minutes=10),
            checked_in_by=secretariat,
        )
        for n, (name, town, domain) in enumerate(
            [
                ("上砂川 一郎", "上砂川町", "kamisunagawa"),
                ("上砂川 二郎", "上砂川町", "kamisunagawa"),
                ("音威子府 花子", "音威子府村", "otoineppu"),
                ("檜枝岐 太郎", "檜枝岐村", "hinoemata"),
                ("粟島浦 次郎", "粟島浦村", "awashimaura"),
            ]
        )
    ]
    Registration.objects.bulk_create(attended)

    # Open for registration: a training by theme and level (seed 002), hybrid delivery.
    training_day = today + dt.timedelta(days=24)
    training = services.event_create(
        by=secretariat,
        draft=services.EventDraft(
            title="情報政策担当者研修会（セキュリティ総合）",
            kind=EventKind.TRAINING,
            starts_at=_at(training_day, 10),
            ends_at=_at(training_day, 16, 30),
            description=(
                "情報に関わる最新の利用技術、課題の解決方法のほか、業務効率化に役立つ手法や"
                "取り組み等を修得し、担当職員の能力・技術向上を目的に実務的な研修を開催します。\n\n"
                "会場に来られない方のため、インターネットによる遠隔配信も行います。"
            ),
            venue="自治会館 大会議室",
            delivery=Delivery.HYBRID,
            online_url="https://meet.example.lg.jp/kensyu-security",
            capacity=40,
            audience=Audience.MEMBERS,
            registration_closes_at=_at(training_day - dt.timedelta(days=7), 17),
            theme=Theme.SECURITY,
            level=Level.BASIC,
        ),
    )
    services.sessions_set(
        event=training,
        by=secretariat,
        sessions=[
            services.SessionDraft(
                label="第1部", theme="情報セキュリティポリシーの見直しと運用", starts_at=dt.time(10)
            ),
            services.SessionDraft(
                label="第2部", theme="インシデント対応の演習", starts_at=dt.time(13, 30)
            ),
        ],
    )
    services.event_publish(event=training, by=secretariat)
    for person in people[75:113]:
        services.member_register(event=training, person=person, by=secretariat)

    lecture_day = today + dt.timedelta(days=52)
    lecture = services.event_create(
        by=secretariat,
        draft=services.EventDraft(
            title="情報政策担当者講演会「自治体DXと標準化の現在」",
            kind=EventKind.LECTURE,
            starts_at=_at(lecture_day, 14),
            ends_at=_at(lecture_day, 16),
            description="電子自治体推進に関する講演と事例発表を、情報政策担当課長連絡会議にあわせて開催します。",
            venue="都道府県会館 101会議室",
            capacity=100,
            audience=Audience.OPEN,
        ),
    )
    services.sessions_set(
        event=lecture,
        by=secretariat,
        sessions=[
            services.SessionDraft(
                label="講演",
                theme="自治体情報システムの標準化・共通化の現在",
                speaker_name="総務 太郎",
                speaker_affiliation="総務省自治行政局",
                speaker_title="課長補佐",
                starts_at=dt.time(14, 10),
                ends_at=dt.time(15, 10),
            )
        ],
    )
    services.event_publish(event=lecture, by=secretariat)
    for person in people[113:125]:
        services.member_register(event=lecture, person=person, by=secretariat)

    services.event_create(
        by=secretariat,
        draft=services.EventDraft(
            title="情報政策担当者研修会（サイバー攻撃対策）",
            kind=EventKind.TRAINING,
            starts_at=_at(today + dt.timedelta(days=90), 10),
            ends_at=_at(today + dt.timedelta(days=90), 16),
            description="標的型攻撃メールへの対応など、演習を中心に行います。",
            venue="自治会館 研修室",
            capacity=30,
            theme=Theme.CYBER,
            level=Level.INTERMEDIATE,
        ),
    )

    _needs_survey_load(secretariat=secretariat, today=today, rng=rng)


def _needs_survey_load(*, secretariat: User, today: dt.date, rng: random.Random) -> None:
    """Ask next fiscal year's training needs (seed 002: 市町村ニーズを把握するため、アンケートを
    実施する) from its training catalogue, open, with the answers of members who have an account."""
    year = fiscal_year_of(today) + 1
    survey = services.needs_questionnaire_create(
        fiscal_year=year,
        by=secretariat,
        title=f"{fiscal_year_label(year)} 情報政策担当者研修会 研修ニーズ調査",
        description="来年度の研修テーマと日程を決めるため、受講を希望する研修をお知らせください。",
    )
    themes = tuple(label for value, label in Theme.choices if value)
    services.questions_set(
        questionnaire=survey,
        by=secretariat,
        questions=[
            services.QuestionDraft(
                text="受講を希望する研修テーマ",
                kind="multiple",
                required=True,
                choices=themes,
                allow_other=True,
            ),
            services.QuestionDraft(
                text="希望する受講方法",
                kind="single",
                required=True,
                choices=("会場", "オンライン", "どちらでもよい"),
            ),
            services.QuestionDraft(text="ご要望", kind="long_text"),
        ],
    )
    services.questionnaire_open(questionnaire=survey, by=secretariat)
    wanted, how, remark = survey.questions.all()
    members = User.objects.filter(person__organization__isnull=False, is_active=True)
    for user in members.order_by("pk")[:30]:
        services.questionnaire_answer(
            questionnaire=survey,
            questions=[wanted, how, remark],
            data={
                str(wanted.pk): sorted(rng.sample(themes, rng.randint(1, 3)), key=themes.index),
                str(how.pk): rng.choice(how.choices),
            },
            user=user,
        )
