"""Reading the audit log: every filter narrows, newest first, dates in Japan's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

from renkei.audit.models import Action, AuditEvent
from renkei.audit.selectors import audit_events
from renkei.audit.services import audit_record

JST = ZoneInfo("Asia/Tokyo")


def _event(action: str, username: str, when: dt.datetime, target_type: str = "") -> AuditEvent:
    event = audit_record(action=action, actor_username=username)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when, target_type=target_type)
    return event


def test_filters_narrow_by_action_user_type_and_dates(db):
    early = _event(Action.LOGIN_SUCCEEDED, "tobetsu", dt.datetime(2026, 4, 1, 9, tzinfo=JST))
    late = _event(
        Action.EXPORTED, "fukagawa", dt.datetime(2026, 5, 1, 9, tzinfo=JST), "inquiries.inquiry"
    )

    assert list(audit_events()) == [late, early]
    assert list(audit_events(action=Action.EXPORTED)) == [late]
    assert list(audit_events(username="TOBE")) == [early]
    assert list(audit_events(target_type="inquiries.inquiry")) == [late]
    assert list(audit_events(since=dt.date(2026, 4, 2))) == [late]
    assert list(audit_events(until=dt.date(2026, 4, 30))) == [early]


def test_date_filters_count_days_in_japan_not_utc(db):
    # 00:30 on 1 April in Tokyo is still 31 March in UTC.
    just_after_midnight = _event(
        Action.LOGOUT, "tobetsu", dt.datetime(2026, 4, 1, 0, 30, tzinfo=JST)
    )

    assert list(audit_events(since=dt.date(2026, 4, 1))) == [just_after_midnight]
    assert list(audit_events(until=dt.date(2026, 3, 31))) == []
