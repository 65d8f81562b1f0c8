"""Changing accounts: every change is recorded with who made it."""

from renkei.accounts.services import user_set_date_style
from renkei.audit.models import Action, AuditEvent


def test_date_style_change_is_recorded_as_the_users_own(council):
    before = council.staff.date_style
    after = "western" if before != "western" else "wareki"

    user_set_date_style(user=council.staff, date_style=after)
    user_set_date_style(user=council.staff, date_style=after)  # unchanged: nothing to record

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        Action.CHANGED,
        council.staff,
        str(council.staff.pk),
    )
    assert event.detail == {"field": "date_style", "before": before, "after": after}
