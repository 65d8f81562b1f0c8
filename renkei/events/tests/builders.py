"""Test builders of events: the seminar draft the secretariat writes, its participant workbook."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from renkei.events import services
from renkei.events.models import Audience, Event, EventKind, Registration
from renkei.testing import Council, login_client


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


def participants_download(
    *, council: Council, event: Event, outsider_name: str
) -> tuple[bytes, Registration]:
    """Check 当別 次郎 in, register a non-member, and download the participant workbook."""
    registration = services.member_register(
        event=event, person=council.staff.person, by=council.staff
    )
    services.check_in(registration=registration, by=council.secretariat)
    services.public_register(
        event=event,
        registrant=services.Registrant(
            name=outsider_name, organization_name="上砂川町", email="x@example.lg.jp"
        ),
    )
    response = login_client(council.secretariat).get(
        reverse("events:participants_export", args=[event.pk])
    )
    return response.content, registration
