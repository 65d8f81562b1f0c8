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
