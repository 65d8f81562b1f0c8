"""Changing events: writing and publishing them, registering, cancelling, checking in.

A seat is decided with the event row locked (`select_for_update`), so concurrent
registrations for the last seats are serialised: never more confirmed registrations than
the capacity. A cancelled seat goes to the oldest waiting registration in the same
transaction.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.ical import CalendarEntry, calendar_bytes
from renkei.core.links import absolute_url
from renkei.core.question_kinds import kind_of
from renkei.core.question_kinds.definitions import OTHER_CHOICE, QuestionKind
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization, Person
from renkei.directory.selectors import member_organizations
from renkei.events.lifecycle import EVENT_WORKFLOW, QUESTIONNAIRE_WORKFLOW, REGISTRATION_WORKFLOW
from renkei.events.models import (
    ACTIVE_STATUSES,
    QUESTIONNAIRE_KINDS,
    Audience,
    Event,
    EventStatus,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
    QuestionnaireQuestion,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from renkei.mailer.services import MailAttachment, mail_queue
from renkei.workflow.transitions import TransitionError


class EventError(ServiceError):
    """A change the event's state or data does not allow; the message is for the user."""


M = TypeVar("M", bound=Model)


@contextmanager
def _transition_refused() -> Iterator[None]:
    """Raise a workflow step's refusal in the block as an EventError."""
    try:
        yield
    except TransitionError as error:
        raise EventError(error.message) from error


def _rows_replace(
    *,
    old: QuerySet[M],
    new: list[M],
    by: User,
    target: Model,
    request: HttpRequest | None,
    detail: dict[str, Any],
) -> list[M]:
    """Replace a record's ordered rows (program, questions) in one transaction, audited."""
    with transaction.atomic():
        old.delete()
        created = old.model.objects.bulk_create(new)
        audit_record(action=Action.CHANGED, actor=by, target=target, request=request, detail=detail)
    return created


@dataclass(frozen=True)
class EventDraft:
    """What the secretariat writes about an event."""

    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str = ""
    venue: str = ""
    delivery: str = "venue"
    online_url: str = ""
    capacity: int | None = None
    audience: str = Audience.MEMBERS
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    theme: str = ""
    level: str = ""


@dataclass(frozen=True)
class SessionDraft:
    """One row of the program as the secretariat types it."""

    theme: str
    label: str = ""
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    speaker_name: str = ""
    speaker_affiliation: str = ""
    speaker_title: str = ""


@dataclass(frozen=True)
class Registrant:
    """Who registers: from the directory for members, from the form for non-members."""

    name: str
    organization_name: str
    email: str
    department: str = ""


def _draft_problems(draft: EventDraft) -> None:
    if draft.ends_at <= draft.starts_at:
        raise EventError("終了日時は開始日時より後にしてください。", field="ends_at")
    if (
        draft.registration_opens_at
        and draft.registration_closes_at
        and draft.registration_closes_at <= draft.registration_opens_at
    ):
        raise EventError("申込締切は申込開始より後にしてください。", field="registration_closes_at")
    if draft.registration_closes_at and draft.registration_closes_at > draft.ends_at:
        raise EventError("申込締切は終了日時より前にしてください。", field="registration_closes_at")
    if draft.delivery in ("online", "hybrid") and not draft.online_url:
        raise EventError(
            "オンラインで配信する場合は、参加用のURLを入力してください。", field="online_url"
        )
    if draft.capacity is not None and draft.capacity < 1:
        raise EventError("定員は1名以上にしてください（定員なしは空欄）。", field="capacity")


def event_create(*, by: User, draft: EventDraft, request: HttpRequest | None = None) -> Event:
    """Write a new event (準備中: members do not see it until it is published)."""
    _draft_problems(draft)
    with transaction.atomic():
        event = Event.objects.create(created_by=by, **draft.__dict__)
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=event,
            request=request,
            detail={"event": "created"},
        )
    return event


def event_update(
    *, event: Event, by: User, draft: EventDraft, request: HttpRequest | None = None
) -> Event:
    """Change an event's details; a lower capacity never cancels a confirmed seat."""
    if event.status == EventStatus.CANCELLED:
        raise EventError("中止した催しは変更できません。")
    _draft_problems(draft)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if draft.capacity is not None and draft.capacity < confirmed:
            raise EventError(
                f"参加確定がすでに{confirmed:,}名います。定員はそれ以上にしてください。",
                field="capacity",
            )
        for name, value in draft.__dict__.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=locked,
            request=request,
            detail={"event": "updated"},
        )
        # A higher capacity seats those waiting, oldest first.
        _waitlist_promote(locked)
    return locked


def sessions_set(
    *, event: Event, by: User, sessions: Sequence[SessionDraft], request: HttpRequest | None = None
) -> list[Session]:
    """Replace the program of an event with these rows, in this order."""
    rows = [s for s in sessions if s.theme.strip()]
    return _rows_replace(
        old=event.sessions.all(),
        new=[
            Session(event=event, position=number, **row.__dict__)
            for number, row in enumerate(rows, start=1)
        ],
        by=by,
        target=event,
        request=request,
        detail={"event": "program", "sessions": len(rows)},
    )


def event_publish(*, event: Event, by: User, request: HttpRequest | None = None) -> Event:
    """Show the event to its audience and open registration."""
    if not event.sessions.exists() and not event.description.strip():
        raise EventError("概要かプログラムを入力してから公開してください。")
    with _transition_refused():
        return EVENT_WORKFLOW.apply(
            instance=event,
            name="publish",
            by=by,
            changes={"published_at": timezone.now()},
            request=request,
        )


def event_cancel(*, event: Event, by: User, request: HttpRequest | None = None) -> Event:
    """Call the event off and tell every registrant."""

    def mail(event: Event) -> None:
        active = list(event.registrations.filter(status__in=ACTIVE_STATUSES))
        _registrations_mail(active, template="event_cancelled")

    with _transition_refused():
        return EVENT_WORKFLOW.apply(
            instance=event, name="cancel", by=by, request=request, after=mail
        )


# --- registration ---------------------------------------------------------------------------


def registration_open_check(event: Event, *, now: dt.datetime | None = None) -> None:
    """Refuse a registration the event does not take now."""
    now = now or timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise EventError("この催しは現在申込を受け付けていません。")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise EventError(f"申込は{format_datetime(event.registration_opens_at)}から受け付けます。")
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        raise EventError("申込の受付は終了しました。")


def _registration_create(
    *,
    event: Event,
    registrant: Registrant,
    status: str,
    by: User | None,
    person: Person | None = None,
    organization: Organization | None = None,
    is_member: bool,
) -> Registration:
    try:
        with transaction.atomic():
            return Registration.objects.create(
                event=event,
                status=status,
                person=person,
                organization=organization,
                name=registrant.name.strip(),
                organization_name=registrant.organization_name.strip(),
                department=registrant.department.strip(),
                email=registrant.email.strip(),
                is_member=is_member,
                registered_by=by,
            )
    except IntegrityError as error:
        raise EventError(
            f"{registrant.email} はこの催しにすでに申し込まれています。", field="email"
        ) from error


def _seat_decide(event: Event, registration: Registration, *, by: User | None) -> Registration:
    """Confirm the registration if a seat is free, else put it on the waiting list.

    Call with the event row locked: the count and the decision are one step.
    """
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    seated = event.capacity is None or confirmed < event.capacity
    name = "seat" if seated else "waitlist"
    REGISTRATION_WORKFLOW.apply(
        instance=registration,
        name=name,
        by=by,
        changes={"confirmed_at": timezone.now()} if seated else {},
    )
    _registrations_mail(
        [registration], template="event_registered" if seated else "event_waitlisted"
    )
    return registration


def member_register(
    *, event: Event, person: Person, by: User, request: HttpRequest | None = None
) -> Registration:
    """Register a member (oneself or a colleague of one's organization) for an event."""
    registration_open_check(event)
    if not person.email:
        raise EventError(
            f"{person.name}さんのメールアドレスが職員名簿にありません。先に登録してください。"
        )
    organization = person.organization
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        registration = _registration_create(
            event=locked,
            registrant=Registrant(
                name=person.name,
                organization_name=organization.name if organization else "",
                department=person.department.name if person.department_id else "",
                email=person.email,
            ),
            status=RegistrationStatus.UNCONFIRMED,
            by=by,
            person=person,
            organization=organization,
            is_member=True,
        )
        return _seat_decide(locked, registration, by=by)


def public_register(*, event: Event, registrant: Registrant) -> Registration:
    """Record a non-member's registration and mail the link that confirms the address.

    The seat is decided when the address is confirmed, so a typo or a robot holds none.
    """
    registration_open_check(event)
    if event.audience != Audience.OPEN:
        raise EventError("この催しは会員のみが参加できます。")
    organization = member_organizations().filter(name=registrant.organization_name.strip()).first()
    registration = _registration_create(
        event=event,
        registrant=registrant,
        status=RegistrationStatus.UNCONFIRMED,
        by=None,
        organization=organization,
        is_member=organization is not None,
    )
    _registrations_mail([registration], template="event_confirm_address")
    return registration


def registration_confirm(*, registration: Registration) -> Registration:
    """Confirm a non-member's address: the registration takes a seat or waits for one."""
    if registration.status != RegistrationStatus.UNCONFIRMED:
        return registration
    registration_open_check(registration.event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        try:
            return _seat_decide(locked, registration, by=None)
        except TransitionError:
            # Confirmed meanwhile (the link opened twice): the first one decided.
            registration.refresh_from_db()
            return registration


def registration_cancel(
    *, registration: Registration, by: User | None, request: HttpRequest | None = None
) -> Registration:
    """Cancel a registration; a freed seat goes to the oldest one waiting."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=registration.event_id)
        with _transition_refused():
            REGISTRATION_WORKFLOW.apply(
                instance=registration,
                name="cancel",
                by=by,
                changes={"cancelled_at": timezone.now()},
                request=request,
            )
        _registrations_mail([registration], template="event_cancellation_received")
        _waitlist_promote(locked)
    return registration


def _waitlist_promote(event: Event) -> list[Registration]:
    """Seat the oldest waiting registrations while seats are free (event row locked)."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = None if event.capacity is None else max(0, event.capacity - confirmed)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        REGISTRATION_WORKFLOW.apply(
            instance=registration,
            name="promote",
            by=None,
            changes={"confirmed_at": timezone.now()},
        )
    _registrations_mail(promoted, template="event_promoted")
    return promoted


def check_in(
    *, registration: Registration, by: User, request: HttpRequest | None = None
) -> Registration:
    """Record that a confirmed registrant arrived (受付)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise EventError(
            f"{registration.name}さんの申込は「{registration.get_status_display()}」のため"
            "受付できません。"
        )
    if registration.checked_in_at is not None:
        raise EventError(
            f"{registration.name}さんは{format_datetime(registration.checked_in_at)}に受付済みです。"
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(pk=registration.pk, checked_in_at=None).update(
            checked_in_at=now, checked_in_by=by
        )
        if not updated:
            raise EventError(f"{registration.name}さんは受付済みです。")
        registration.checked_in_at, registration.checked_in_by = now, by
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=registration,
            request=request,
            detail={"event": "checked_in"},
        )
    return registration


# --- mail -----------------------------------------------------------------------------------


def registration_urls(registration: Registration) -> dict[str, str]:
    """Return the registrant's own addresses: the page, the calendar file and the QR code."""
    token = registration.token
    return {
        "registration_url": absolute_url(reverse("events:registration", args=[token])),
        "calendar_url": absolute_url(reverse("events:registration_ics", args=[token])),
        "confirm_url": absolute_url(reverse("events:registration_confirm", args=[token])),
    }


# Mails to registrants with a seat carry the event's calendar file; one file for all of
# them (no personal link in it), so a batch stays one bulk INSERT of the outbox.
CALENDAR_TEMPLATES = ("event_registered", "event_promoted", "event_reminder")


def event_calendar(event: Event, *, url: str = "", online: bool = True) -> bytes:
    """Return the event as an .ics file; the online link only for those with a seat."""
    lines = [event.get_kind_display()]
    if url:
        lines.append(url)
    if online and event.online_url:
        lines.append(f"オンライン参加: {event.online_url}")
    return calendar_bytes(
        [
            CalendarEntry(
                key=f"event-{event.pk}",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                summary=event.title,
                stamp=event.updated_at,
                location=event.venue,
                url=url,
                description="\n".join(lines),
            )
        ],
        name=event.title,
    )


def _registrations_mail(registrations: Sequence[Registration], *, template: str) -> int:
    """Mail each registrant their own message (their links differ)."""
    if not registrations:
        return 0
    event = registrations[0].event
    attachments = (
        [MailAttachment(f"event-{event.pk}.ics", event_calendar(event), "text/calendar")]
        if template in CALENDAR_TEMPLATES
        else []
    )
    return len(
        mail_queue(
            to=[
                (r.name, r.email, {"registration": r.pk, **registration_urls(r)})
                for r in registrations
            ],
            template=template,
            context={
                "event_title": event.title,
                "event_when": format_datetime(event.starts_at, weekday=True),
                "event_venue": event.venue,
                "event_online": event.online_url,
                "event_url": absolute_url(reverse("events:detail", args=[event.pk])),
            },
            topic=f"event:{event.pk}",
            attachments=attachments,
        )
    )


def reminders_send_due(*, now: dt.datetime | None = None, days_before: int = 1) -> int:
    """Remind every confirmed registrant of an event held within `days_before` days (from
    tomorrow's date, local time), with the .ics; each registration once, whenever it runs.

    Run by cron (`events_remind_due`, daily in the morning or hourly). The registrations are
    claimed (reminded_at set) in the transaction that queues their mail, rows locked with
    SKIP LOCKED on PostgreSQL, so two runs at once never mail anyone twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = dt.datetime.combine(
        today + dt.timedelta(days=days_before + 1),
        dt.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lt=until,
        registrations__status=RegistrationStatus.CONFIRMED,
        registrations__reminded_at=None,
    ).distinct()
    sent = 0
    for event in events:
        with transaction.atomic():
            due = list(
                Registration.objects.select_for_update(skip_locked=True).filter(
                    event=event, status=RegistrationStatus.CONFIRMED, reminded_at=None
                )
            )
            if not due:
                continue
            Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
            for registration in due:
                registration.event = event
            sent += _registrations_mail(due, template="event_reminder")
            audit_record(
                action=Action.CHANGED,
                actor_username="system:events_remind_due",
                target=event,
                detail={"event": "reminded", "registrations": len(due)},
            )
    return sent


# --- questionnaires (アンケート) ---------------------------------------------------------------

# The fiscal years a training catalogue (研修計画) may be asked about: the council's own span.
FISCAL_YEARS_PLANNED = (2000, 2100)


def planned_year_check(fiscal_year: int) -> None:
    """Refuse a fiscal year no training catalogue can have."""
    if not FISCAL_YEARS_PLANNED[0] <= fiscal_year <= FISCAL_YEARS_PLANNED[1]:
        raise EventError("年度が正しくありません。")


@dataclass(frozen=True)
class QuestionDraft:
    """One question as the secretariat types it; its kind is one of the registry's."""

    text: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    unit: str = ""


def questionnaire_create(
    *,
    event: Event,
    by: User,
    title: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Write an event's post-event questionnaire (準備中 until its questions are ready)."""
    if event.status == EventStatus.CANCELLED:
        raise EventError("中止した催しにはアンケートを作成できません。")
    return _questionnaire_write(
        fields={"event": event, "kind": QuestionnaireKind.POST_EVENT},
        by=by,
        title=title,
        description=description,
        request=request,
    )


def needs_questionnaire_create(
    *,
    fiscal_year: int,
    by: User,
    title: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Write a fiscal year's needs questionnaire (研修ニーズ調査) of its training catalogue."""
    planned_year_check(fiscal_year)
    return _questionnaire_write(
        fields={"fiscal_year": fiscal_year, "kind": QuestionnaireKind.NEEDS},
        by=by,
        title=title,
        description=description,
        request=request,
    )


def _questionnaire_write(
    *,
    fields: dict[str, Any],
    by: User,
    title: str,
    description: str,
    request: HttpRequest | None,
) -> Questionnaire:
    if not title.strip():
        raise EventError("名称を入力してください。", field="title")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            **fields, title=title.strip(), description=description.strip(), created_by=by
        )
        audit_record(
            action=Action.CHANGED,
            actor=by,
            target=questionnaire,
            request=request,
            detail={
                "event": "questionnaire_created",
                "kind": questionnaire.kind,
                "fiscal_year": questionnaire.fiscal_year,
            },
        )
    return questionnaire


def _question_problem(number: int, draft: QuestionDraft) -> str | None:
    if draft.kind not in dict(QUESTIONNAIRE_KINDS):
        return f"Q{number}：形式を選んでください。"
    if draft.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [c for c in draft.choices if c.strip()]
        if len(choices) < 2:
            return f"Q{number}：選択肢を2つ以上、1行に1つずつ入力してください。"
        if len(set(choices)) != len(choices):
            return f"Q{number}：同じ選択肢が重複しています。"
        if OTHER_CHOICE in choices and draft.allow_other:
            return f"Q{number}：「その他」は「その他を加える」で追加されます。選択肢から除いてください。"
    return None


def questions_set(
    *,
    questionnaire: Questionnaire,
    by: User,
    questions: Sequence[QuestionDraft],
    request: HttpRequest | None = None,
) -> list[QuestionnaireQuestion]:
    """Replace the questions of a questionnaire not yet opened (Q1, Q2, … in this order)."""
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise EventError("回答受付を始めたアンケートの設問は変更できません。")
    rows = [q for q in questions if q.text.strip()]
    for number, row in enumerate(rows, start=1):
        if problem := _question_problem(number, row):
            raise EventError(problem)
    choice_kinds = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    return _rows_replace(
        old=questionnaire.questions.all(),
        new=[
            QuestionnaireQuestion(
                questionnaire=questionnaire,
                position=number,
                code=f"Q{number}",
                kind=row.kind,
                text=row.text.strip(),
                required=row.required,
                choices=[c.strip() for c in row.choices if c.strip()]
                if row.kind in choice_kinds
                else [],
                allow_other=row.allow_other and row.kind in choice_kinds,
                unit=row.unit.strip() if row.kind == QuestionKind.NUMBER else "",
            )
            for number, row in enumerate(rows, start=1)
        ],
        by=by,
        target=questionnaire,
        request=request,
        detail={"event": "questionnaire_questions", "questions": len(rows)},
    )


def questionnaire_open(
    *, questionnaire: Questionnaire, by: User, request: HttpRequest | None = None
) -> Questionnaire:
    """Start taking answers: the questions are fixed from now on."""
    if not questionnaire.questions.exists():
        raise EventError("設問を1つ以上作成してから回答受付を始めてください。")
    return _questionnaire_transition(
        questionnaire=questionnaire, name="open", stamp="opened_at", by=by, request=request
    )


def questionnaire_close(
    *, questionnaire: Questionnaire, by: User, request: HttpRequest | None = None
) -> Questionnaire:
    """Stop taking answers; the results stay."""
    return _questionnaire_transition(
        questionnaire=questionnaire, name="close", stamp="closed_at", by=by, request=request
    )


def _questionnaire_transition(
    *,
    questionnaire: Questionnaire,
    name: str,
    stamp: str,
    by: User,
    request: HttpRequest | None,
) -> Questionnaire:
    """Apply a step of the questionnaire's workflow, stamping when it happened."""
    with _transition_refused():
        return QUESTIONNAIRE_WORKFLOW.apply(
            instance=questionnaire,
            name=name,
            by=by,
            changes={stamp: timezone.now()},
            request=request,
        )


def questionnaire_answer(
    *,
    questionnaire: Questionnaire,
    questions: Sequence[QuestionnaireQuestion],
    data: dict[str, Any],
    registration: Registration | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> QuestionnaireAnswer:
    """Record one person's answer: a participant's (事後) or a member's (ニーズ); once each."""
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise EventError("このアンケートは現在回答を受け付けていません。")
    if questionnaire.kind == QuestionnaireKind.POST_EVENT:
        if registration is None or registration.event_id != questionnaire.event_id:
            raise EventError("このアンケートは催しの参加者のみが回答できます。")
        if registration.status != RegistrationStatus.CONFIRMED:
            raise EventError("参加が確定した方のみ回答できます。")
        name, organization_name = registration.name, registration.organization_name
    else:
        if user is None or not user.is_authenticated:
            raise EventError("このアンケートには会員としてログインして回答してください。")
        person = Person.objects.select_related("organization").filter(user=user).first()
        name = person.name if person else user.get_full_name() or user.get_username()
        organization_name = person.organization.name if person and person.organization else ""
        registration = None
    for question in questions:
        value = data.get(str(question.pk))
        kind = kind_of(question)
        if kind.is_unanswered(question, value):
            if question.required:
                raise EventError(kind.missing(question, value)[1])
            continue
        if problem := kind.problem(question, value):
            raise EventError(f"{question.code}：{problem}")
    try:
        with transaction.atomic():
            answer = QuestionnaireAnswer.objects.create(
                questionnaire=questionnaire,
                registration=registration,
                user=user if user is not None and user.is_authenticated else None,
                name=name,
                organization_name=organization_name,
                data=data,
            )
            audit_record(
                action=Action.CHANGED,
                actor=user,
                actor_username="" if user is not None else f"registration:{registration.pk}",
                target=answer,
                request=request,
                detail={"event": "questionnaire_answered", "questionnaire": questionnaire.pk},
            )
    except IntegrityError as error:
        raise EventError("このアンケートにはすでに回答いただいています。") from error
    return answer
