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
