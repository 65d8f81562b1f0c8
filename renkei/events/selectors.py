"""Reading events: lists, registrations, participant counts and prospective members."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from renkei.accounts.models import User
from renkei.core.charts import Bar, bar_chart
from renkei.core.fiscal_year import fiscal_year_of, fiscal_year_range, format_fiscal_year
from renkei.core.numbers import format_percent, format_share
from renkei.core.question_kinds import QuestionSummary, question_summary_of
from renkei.core.row_urls import RowUrl
from renkei.directory.models import OrganizationKind, Person
from renkei.directory.permissions import organization_id_of
from renkei.directory.prefectures import PREFECTURES
from renkei.events.models import (
    Delivery,
    Event,
    EventKind,
    EventMaterial,
    EventStatus,
    Level,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
    QuestionnaireQuestion,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
    Theme,
)
from renkei.events.permissions import material_openable, visible_events
from renkei.events.phases import event_phase


def _fiscal_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    first, last = fiscal_year_range(year)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


EVENT_ROW_FIELDS = (
    "pk",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "venue",
    "delivery",
    "capacity",
    "status",
)


def event_list(
    *, user: User, fiscal_year: int | None = None, kind: str = "", query: str = ""
) -> QuerySet:
    """Return the events the user sees, filtered, newest first, as plain rows of the list's
    columns."""
    events = visible_events(user)
    if fiscal_year is not None:
        start, end = _fiscal_bounds(fiscal_year)
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
    if kind:
        events = events.filter(kind=kind)
    if query.strip():
        for word in query.split():
            events = events.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(sessions__speaker_name__icontains=word)
                | Q(sessions__theme__icontains=word)
            )
        events = events.distinct()
    # The list's columns only; a page's seat counts come from `event_rows`, so neither
    # the page nor its count joins the registrations of every event.
    return events.values(*EVENT_ROW_FIELDS).order_by("-starts_at", "-pk")


def event_rows(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a page of `event_list` rows with what the list shows: the seats taken and
    waiting (one query whatever the page's size), labels, place and address."""
    rows = list(events)
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(
            event__in=[row["pk"] for row in rows],
            status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
        )
        .values("event_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        )
        .order_by()
    }
    kinds, deliveries = dict(EventKind.choices), dict(Delivery.choices)
    now = timezone.now()
    url = RowUrl("events:detail")  # reversed once, not per row
    for row in rows:
        seats = counts.get(row["pk"], {})
        row["seats_label"] = seats_label(
            confirmed=seats.get("confirmed", 0),
            capacity=row["capacity"],
            waitlisted=seats.get("waitlisted", 0),
        )
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
        row["status_label"] = event_phase(
            status=row["status"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            registration_opens_at=row["registration_opens_at"],
            registration_closes_at=row["registration_closes_at"],
            now=now,
        ).label
        row["place"] = row["venue"] or deliveries.get(row["delivery"], "")
        row["url"] = url(row["pk"])
    return rows


def seats_label(*, confirmed: int, capacity: int | None, waitlisted: int) -> str:
    """Say an event's seats as the list shows them: 「12 / 2,000名（待ち3）」."""
    label = f"{confirmed:,} / {capacity:,}名" if capacity else f"{confirmed:,}名"
    return f"{label}（待ち{waitlisted:,}）" if waitlisted else label


@dataclass(frozen=True)
class EventSpan:
    """The fiscal years the list offers, newest first, and how many events the user sees."""

    years: list[int]
    total: int


def event_span(user: User) -> EventSpan:
    """Return every fiscal year from the first visible event's to the last's (and the current),
    with the number of events the user sees: one aggregate query, which is also the unfiltered
    list's count."""
    current = fiscal_year_of(timezone.localdate())
    span = visible_events(user).aggregate(
        first=Min("starts_at"), last=Max("starts_at"), total=Count("pk")
    )
    first = fiscal_year_of(timezone.localdate(span["first"])) if span["first"] else current
    last = fiscal_year_of(timezone.localdate(span["last"])) if span["last"] else current
    return EventSpan(
        years=list(range(max(last, current), min(first, current) - 1, -1)),
        total=span["total"] or 0,
    )


@dataclass(frozen=True)
class Seats:
    confirmed: int
    waitlisted: int
    unconfirmed: int
    checked_in: int
    capacity: int | None
    # The registrations matching a list's filter, when event_seats was given one.
    matching: int | None = None

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed)


def event_seats(event: Event, *, matching: Q | None = None) -> Seats:
    """Count an event's registrations by status, in one query; with `matching` (a
    `registration_filter`), also those it keeps: the registration list's count."""
    counts = {
        "confirmed": Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        "waitlisted": Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        "unconfirmed": Count("pk", filter=Q(status=RegistrationStatus.UNCONFIRMED)),
        "checked_in": Count(
            "pk",
            filter=Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False),
        ),
    }
    if matching is not None:
        counts["matching"] = Count("pk", filter=matching) if matching else Count("pk")
    return Seats(capacity=event.capacity, **event.registrations.aggregate(**counts))


def registration_filter(*, status: str = "", query: str = "", member: str = "") -> Q:
    """Return the condition of the registration list's filter (status, membership, words)."""
    condition = Q()
    if status:
        condition &= Q(status=status)
    if member == "member":
        condition &= Q(is_member=True)
    elif member == "non_member":
        condition &= Q(is_member=False)
    for word in query.split():
        condition &= (
            Q(name__icontains=word)
            | Q(organization_name__icontains=word)
            | Q(email__icontains=word)
            | Q(department__icontains=word)
        )
    return condition


REGISTRATION_ROW_FIELDS = (
    "pk",
    "created_at",
    "name",
    "organization_name",
    "department",
    "is_member",
    "status",
    "checked_in_at",
)


def registrations_of(*, event: Event, matching: Q) -> QuerySet:
    """Return an event's registrations for the secretariat, filtered (`registration_filter`),
    in registration order, as plain rows of the list's columns."""
    return (
        event.registrations.filter(matching)
        .values(*REGISTRATION_ROW_FIELDS)
        .order_by("created_at", "pk")
    )


def registration_rows(*, event: Event, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return a page of `registrations_of` rows with their status label and, for a confirmed
    registrant not yet checked in, the address of 受付する (reversed once per page)."""
    statuses = dict(RegistrationStatus.choices)
    check_in = RowUrl("events:check_in", event.pk)
    rows = list(rows)
    for row in rows:
        row["status_label"] = statuses.get(row["status"], row["status"])
        row["check_in_url"] = (
            check_in(row["pk"])
            if row["status"] == RegistrationStatus.CONFIRMED and not row["checked_in_at"]
            else ""
        )
    return rows


def my_registrations(*, user: User, event: Event) -> list[Registration]:
    """Return the registrations of an event the user made or that name them."""
    return list(
        event.registrations.filter(Q(registered_by=user) | Q(person__user=user))
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by("created_at")
    )


def colleagues_to_register(*, user: User, event: Event) -> list[Person]:
    """Return the people of the user's organization not yet registered, with an address, the
    user first."""
    organization_id = organization_id_of(user)
    if organization_id is None:
        return []
    taken = event.registrations.exclude(status=RegistrationStatus.CANCELLED).values("email")
    people = list(
        Person.objects.filter(organization_id=organization_id)
        .exclude(email="")
        .exclude(email__in=taken)
        .select_related("department")
        .order_by("kana", "name")[:200]
    )
    # The user first: most people register themselves.
    people.sort(key=lambda person: person.user_id != user.pk)
    return people


@dataclass(frozen=True)
class ParticipantCounts:
    total: int
    counted: str  # what was counted: 受付済み or 参加確定
    by_kind: list[tuple[str, int]]
    by_prefecture: list[tuple[str, int]]
    non_members: int


def participant_counts(*, event: Event, seats: Seats | None = None) -> ParticipantCounts:
    """Count participants as the seeds report them (「参加者数 80名」), by kind and prefecture.

    After the event has checked people in, those who came count; before, the confirmed seats.
    One grouped query (plus the seat counts, unless the caller has them).
    """
    seats = seats or event_seats(event)
    counted = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    label = "参加確定"
    if seats.checked_in:
        counted, label = counted.filter(checked_in_at__isnull=False), "受付済み"
    rows = counted.values("organization__kind", "organization__prefecture_code", "is_member")
    kinds_named = dict(OrganizationKind.choices)
    prefectures = dict(PREFECTURES)
    by_kind: dict[str, int] = {}
    by_prefecture: dict[str, int] = {}
    non_members = 0
    for row in rows.annotate(n=Count("pk")).order_by():
        kind = kinds_named.get(row["organization__kind"]) or "会員外・その他"
        by_kind[kind] = by_kind.get(kind, 0) + row["n"]
        code = row["organization__prefecture_code"] or ""
        by_prefecture[code] = by_prefecture.get(code, 0) + row["n"]
        if not row["is_member"]:
            non_members += row["n"]
    return ParticipantCounts(
        total=sum(by_kind.values()),
        counted=label,
        by_kind=sorted(by_kind.items(), key=lambda item: -item[1]),
        by_prefecture=[
            (prefectures.get(code) or "不明", n) for code, n in sorted(by_prefecture.items())
        ],
        non_members=non_members,
    )


@dataclass(frozen=True)
class YearCounts:
    fiscal_year: int
    held: int
    by_kind: list[tuple[str, int]]
    participants: int


def fiscal_year_counts(*, fiscal_year: int) -> YearCounts:
    """Count the events held in a fiscal year and their participants (who came, else seats)."""
    start, end = _fiscal_bounds(fiscal_year)
    events = Event.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status=EventStatus.PUBLISHED
    )
    # One query: each event's kind and counts; the kinds are tallied here.
    per_event = events.annotate(
        came=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        seated=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
    ).values_list("kind", "came", "seated")
    tally: dict[str, int] = {}
    participants = 0
    for kind, came, seated in per_event:
        tally[kind] = tally.get(kind, 0) + 1
        participants += came or seated
    by_kind = [(label, tally[value]) for value, label in EventKind.choices if value in tally]
    return YearCounts(
        fiscal_year=fiscal_year,
        held=sum(n for _, n in by_kind),
        by_kind=by_kind,
        participants=participants,
    )


def prospects(*, query: str = "") -> QuerySet:
    """Return the non-member organizations that registered, for 加入促進, most active first."""
    rows = Registration.objects.filter(is_member=False).exclude(
        status=RegistrationStatus.UNCONFIRMED
    )
    for word in query.split():
        rows = rows.filter(organization_name__icontains=word)
    return (
        rows.values("organization_name")
        .annotate(
            registrations=Count("pk"),
            events=Count("event", distinct=True),
            last_registered=Max("created_at"),
            contacts=Count("email", distinct=True),
        )
        .order_by("-last_registered", "organization_name")
    )


# --- questionnaires -------------------------------------------------------------------------


def questionnaire_questions(questionnaire: Questionnaire) -> list[QuestionnaireQuestion]:
    """Return the questions of a questionnaire in order."""
    return list(QuestionnaireQuestion.objects.filter(questionnaire=questionnaire))


def questionnaires_of(event: Event) -> list[Questionnaire]:
    """Return an event's questionnaires with their answer counts."""
    return list(Questionnaire.objects.filter(event=event).annotate(answer_count=Count("answers")))


def open_questionnaires_for_registration(registration: Registration) -> list[Questionnaire]:
    """Return the post-event questionnaires a confirmed registrant may answer, with whether
    they did."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return []
    questionnaires = list(
        Questionnaire.objects.filter(
            event_id=registration.event_id,
            kind=QuestionnaireKind.POST_EVENT,
            status=QuestionnaireStatus.OPEN,
        )
    )
    answered = set(
        QuestionnaireAnswer.objects.filter(
            registration=registration, questionnaire__in=questionnaires
        ).values_list("questionnaire_id", flat=True)
    )
    for questionnaire in questionnaires:
        questionnaire.answered = questionnaire.pk in answered
    return questionnaires


def catalogue_title(fiscal_year: int) -> str:
    """Name a fiscal year's training catalogue: 「研修計画（令和9年度）」."""
    return f"研修計画（{format_fiscal_year(fiscal_year)}）"


def questionnaire_holder_title(questionnaire: Questionnaire) -> str:
    """Name what a questionnaire belongs to: its event, or its fiscal year's catalogue."""
    if questionnaire.event_id is not None:
        return questionnaire.event.title
    return catalogue_title(questionnaire.fiscal_year)


def needs_questionnaires_of(*, fiscal_year: int) -> list[Questionnaire]:
    """Return a fiscal year's needs questionnaires with their answer counts (the secretariat's)."""
    return list(
        Questionnaire.objects.filter(fiscal_year=fiscal_year, kind=QuestionnaireKind.NEEDS)
        .annotate(answer_count=Count("answers"))
        .order_by("pk")
    )


def needs_questionnaires_to_answer(*, fiscal_year: int, user: User) -> list[Questionnaire]:
    """Return a fiscal year's needs questionnaires a member sees (open or closed, never drafts),
    each with whether the user answered it, in two queries."""
    questionnaires = list(
        Questionnaire.objects.filter(fiscal_year=fiscal_year, kind=QuestionnaireKind.NEEDS)
        .exclude(status=QuestionnaireStatus.DRAFT)
        .order_by("pk")
    )
    answered = set(
        QuestionnaireAnswer.objects.filter(
            user=user, registration=None, questionnaire__in=questionnaires
        ).values_list("questionnaire_id", flat=True)
    )
    for questionnaire in questionnaires:
        questionnaire.answered = questionnaire.pk in answered
    return questionnaires


@dataclass
class CatalogueTheme:
    """One theme of the training catalogue and the year's trainings on it."""

    label: str
    trainings: list[Event]


def training_catalogue(*, user: User, fiscal_year: int) -> list[CatalogueTheme]:
    """Return the training catalogue (研修内容, seed 002) of a fiscal year: each theme with the
    year's trainings the user sees on it, then those of no catalogue theme, in one query."""
    start, end = _fiscal_bounds(fiscal_year)
    trainings = (
        visible_events(user)
        .filter(kind=EventKind.TRAINING, starts_at__gte=start, starts_at__lt=end)
        .only("title", "starts_at", "theme", "level", "status")
        .order_by("starts_at", "pk")
    )
    themes = {value: CatalogueTheme(label, []) for value, label in Theme.choices if value}
    others = CatalogueTheme("テーマ指定なし", [])
    levels = dict(Level.choices)
    for training in trainings:
        training.level_label = levels.get(training.level, "") if training.level else ""
        themes.get(training.theme, others).trainings.append(training)
    return [*themes.values(), *([others] if others.trainings else [])]


@dataclass(frozen=True)
class OptionResult:
    """One option of a choice question: how many people chose it, out of those who answered."""

    label: str
    count: int
    total: int
    is_other: bool

    @property
    def label_share(self) -> str:
        """Return 「20名中7名（35.0%）」."""
        return format_share(self.count, self.total, unit="名")

    @property
    def percent(self) -> str:
        return format_percent(self.count, self.total)


@dataclass(frozen=True)
class QuestionResult:
    """A question compiled over every answer: the registry's summary, in people."""

    question: QuestionnaireQuestion
    summary: QuestionSummary
    options: list[OptionResult]
    chart: SafeString

    @property
    def answered_label(self) -> str:
        return format_share(self.summary.answered, self.summary.asked, unit="名")


def _chart(question: QuestionnaireQuestion, options: list[OptionResult]) -> SafeString:
    if not options:
        return mark_safe("")
    return bar_chart(
        chart_id=f"chart-q{question.pk}",
        title=f"{question.code} {question.text}",
        description="、".join(f"{o.label} {o.label_share}" for o in options),
        bars=[
            Bar(
                label=o.label,
                count=o.count,
                total=o.total,
                text=f"{o.count:,}名（{o.percent}）",
                muted=o.is_other,
            )
            for o in options
        ],
    )


def questionnaire_results(
    questionnaire: Questionnaire,
) -> tuple[list[QuestionResult], list[QuestionnaireAnswer]]:
    """Compile every question with the registry (counts, shares, statistics, texts).

    Two queries whatever the number of answers: the questions and the answers.
    """
    questions = questionnaire_questions(questionnaire)
    answers = list(
        QuestionnaireAnswer.objects.filter(questionnaire=questionnaire).only(
            "name", "organization_name", "data", "submitted_at", "questionnaire_id"
        )
    )
    results = []
    for question in questions:
        summary = question_summary_of(question, answers)
        options = [
            OptionResult(
                label=o.label, count=o.share.count, total=o.share.total, is_other=o.is_other
            )
            for o in summary.options
        ]
        results.append(QuestionResult(question, summary, options, _chart(question, options)))
    return results, answers


def materials_of(*, event: Event, manager: bool, attending: bool) -> list[EventMaterial]:
    """Return the event's documents in order, each marked `openable` for this reader."""
    materials = list(event.materials.all())
    for material in materials:
        material.openable = material_openable(material, manager=manager, attending=attending)
    return materials
