"""Changing events, one module per topic; this package names the public functions.

common (EventError and the steps events and questionnaires share), events (details, program,
publishing, cancelling), registrations (seats, the waiting list, address confirmation,
cancelling), reception (受付), mail (the registrant's links, the .ics, reminders),
questionnaires (post-event and needs: questions, opening, closing, answers) and materials (the
event's documents). Code in this app imports from the topic module; views, other apps, commands
and tests may use these names.
"""

from renkei.events.services.common import EventError
from renkei.events.services.events import (
    EventDraft,
    SessionDraft,
    event_cancel,
    event_create,
    event_publish,
    event_update,
    sessions_set,
)
from renkei.events.services.mail import (
    CALENDAR_TEMPLATES,
    event_calendar,
    registration_urls,
    reminders_send_due,
)
from renkei.events.services.materials import material_add, material_delete
from renkei.events.services.questionnaires import (
    FISCAL_YEARS_PLANNED,
    QuestionDraft,
    needs_questionnaire_create,
    planned_year_check,
    questionnaire_answer,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    questions_set,
)
from renkei.events.services.reception import check_in
from renkei.events.services.registrations import (
    Registrant,
    member_register,
    public_register,
    registration_cancel,
    registration_confirm,
    registration_open_check,
)

__all__ = [
    "CALENDAR_TEMPLATES",
    "FISCAL_YEARS_PLANNED",
    "EventDraft",
    "EventError",
    "QuestionDraft",
    "Registrant",
    "SessionDraft",
    "check_in",
    "event_calendar",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_update",
    "material_add",
    "material_delete",
    "member_register",
    "needs_questionnaire_create",
    "planned_year_check",
    "public_register",
    "questionnaire_answer",
    "questionnaire_close",
    "questionnaire_create",
    "questionnaire_open",
    "questions_set",
    "registration_cancel",
    "registration_confirm",
    "registration_open_check",
    "registration_urls",
    "reminders_send_due",
    "sessions_set",
]
