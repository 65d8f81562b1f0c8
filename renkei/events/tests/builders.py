"""Test builders of events: the seminar draft the secretariat writes."""

import datetime as dt

from django.utils import timezone

from renkei.events import services
from renkei.events.models import Audience, EventKind


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
