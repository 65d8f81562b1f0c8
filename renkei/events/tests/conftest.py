"""Events of the test council: a published seminar with a small capacity and its drafts."""

import datetime as dt

import pytest
from django.utils import timezone

from renkei.events import services
from renkei.events.models import Audience, Event, EventKind
from renkei.testing import Council


def event_draft(**fields) -> services.EventDraft:
    """Return a seminar a month ahead, three hours long, as the secretariat writes it."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    values = {
        "title": "トピックスセミナー",
        "kind": EventKind.SEMINAR,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "description": "地方公共団体の事例を中心としたセミナーです。",
        "venue": "東京国際フォーラム ホールD7",
        "capacity": 2,
        "audience": Audience.OPEN,
    }
    values.update(fields)
    return services.EventDraft(**values)


@pytest.fixture
def seminar(council: Council) -> Event:
    """A published seminar with two seats, open to non-members."""
    event = services.event_create(by=council.secretariat, draft=event_draft())
    services.sessions_set(
        event=event,
        by=council.secretariat,
        sessions=[
            services.SessionDraft(
                label="講演1",
                theme="県・市町村共同電子申請・届出サービスの取組みについて",
                speaker_name="上澤 政裕",
                speaker_affiliation="長野県企画部情報統計課",
                speaker_title="電子自治体推進係長",
            )
        ],
    )
    return services.event_publish(event=event, by=council.secretariat)


@pytest.fixture
def questionnaire(council: Council, seminar: Event):
    """An open post-event questionnaire of the seminar: satisfaction, topics, a number, a text."""
    questionnaire = services.questionnaire_create(
        event=seminar,
        by=council.secretariat,
        kind="post_event",
        title="トピックスセミナー 参加者アンケート",
    )
    services.questions_set(
        questionnaire=questionnaire,
        by=council.secretariat,
        questions=[
            services.QuestionDraft(
                text="本日のセミナーの満足度",
                kind="single",
                required=True,
                choices=("満足", "やや満足", "やや不満", "不満"),
            ),
            services.QuestionDraft(
                text="参考になった講演",
                kind="multiple",
                choices=("講演1", "講演2", "講演3", "講演4"),
                allow_other=True,
            ),
            services.QuestionDraft(text="職員数", kind="number", unit="人"),
            services.QuestionDraft(text="ご意見・ご要望", kind="long_text"),
        ],
    )
    return services.questionnaire_open(questionnaire=questionnaire, by=council.secretariat)
