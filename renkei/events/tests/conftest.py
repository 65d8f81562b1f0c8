"""Events of the test council: a published seminar with a small capacity and its drafts."""

import pytest

from renkei.events import services
from renkei.events.models import Event
from renkei.events.tests.builders import event_draft
from renkei.testing import Council


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
