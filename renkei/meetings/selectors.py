"""Reads: meeting lists, the attendance line, the fiscal-year plan, resolutions, minutes."""

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.fiscal_year import fiscal_year_range
from renkei.core.row_urls import RowUrl
from renkei.core.summaries import record_summaries
from renkei.directory.models import Group
from renkei.meetings.minutes_text import ParsedMinutes, ParsedSection, ParsedStatement
from renkei.meetings.models import (
    AgendaItem,
    InviteeCapacity,
    Material,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    Minutes,
    MinutesStatus,
    Publication,
    Reply,
    Response,
    Section,
    Statement,
)
from renkei.meetings.permissions import invited_q, meetings_visible, person_of


def meetings_for(
    *, user: User, fiscal_year: int | None = None, kind: str = "", group_id: int | None = None
) -> QuerySet[Meeting]:
    """Return the meetings the user may see, filtered, newest first."""
    queryset = meetings_visible(user).select_related("group")
    if fiscal_year:
        start, end = fiscal_year_range(fiscal_year)
        queryset = queryset.filter(starts_at__date__gte=start, starts_at__date__lte=end)
    if kind:
        queryset = queryset.filter(kind=kind)
    if group_id == 0:
        queryset = queryset.filter(group__isnull=True)
    elif group_id:
        queryset = queryset.filter(group_id=group_id)
    return queryset.order_by("-starts_at", "-id")


def meetings_of_person(*, user: User) -> QuerySet[Meeting]:
    """Return the meetings the user is invited to (their calendar)."""
    return Meeting.objects.filter(invited_q(person_of(user))).order_by("starts_at", "id")


def invitation_news(*, user: User, group_ids: Iterable[int], limit: int) -> list[dict]:
    """Return the upcoming meetings the user was called to (招集通知 sent), newest call first.

    One query; `group_ids` are the person's and organization's groups (Affiliation.group_ids).
    Each row has pk, title, kind, starts_at, invitations_sent_at and my_reply (the person's
    出欠: None or "" until they answer), read by an outer join on their own reply row.
    """
    person = person_of(user)
    if person is None:
        return []
    return list(
        Meeting.objects.filter(
            invited_q(person, group_ids=group_ids),
            invitations_sent_at__isnull=False,
            starts_at__gte=timezone.now(),
        )
        .annotate(mine=FilteredRelation("responses", condition=Q(responses__person=person)))
        .order_by("-invitations_sent_at", "-id")
        .values(
            "pk", "title", "kind", "starts_at", "invitations_sent_at", my_reply=F("mine__reply")
        )[:limit]
    )


def agenda_of(*, meeting: Meeting) -> list[AgendaItem]:
    """Return the agenda items with their materials (`item.material_list`), in two queries."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter_organization")
        .order_by("position", "id")
    )
    _materials_attach(items, materials_of(meeting=meeting))
    return items


def _materials_attach(items: list[AgendaItem], materials: list[Material]) -> list[Material]:
    """Give each item its materials (資料 before 追加資料); return those of no item."""
    by_item: dict[int, list[Material]] = {item.pk: [] for item in items}
    loose: list[Material] = []
    for material in materials:
        by_item.get(material.agenda_item_id, loose).append(material)
    for item in items:
        item.material_list = sorted(by_item[item.pk], key=lambda m: (m.series, m.number))
    return loose


def meeting_agenda(*, meeting: Meeting, user: User) -> tuple[list[AgendaItem], list[Material]]:
    """Return the meeting page's agenda and the materials of no item, in two queries.

    Each item carries its materials (`item.material_list`, each with its `url`) and, when it points at an
    inquiry, what the user may see of that inquiry (`item.record_summary`): the provider
    the inquiries app registers in core.summaries, called once for the whole agenda, so
    meetings imports nothing of inquiries.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter_organization")
        .order_by("position", "id")
    )
    materials = materials_of(meeting=meeting)
    material_url = RowUrl("meetings:material", meeting.pk)  # reversed once, not per material
    for material in materials:
        material.url = material_url(material.pk)
    loose = _materials_attach(items, materials)
    refs = [("inquiry", item.inquiry_id) for item in items if item.inquiry_id]
    summaries = record_summaries(user=user, refs=refs) if refs else {}
    for item in items:
        item.record_summary = summaries.get(("inquiry", item.inquiry_id))
    return items, loose


def materials_of(*, meeting: Meeting, loose: bool = False) -> list[Material]:
    """Return the meeting's materials (only those of no agenda item if loose), 資料 first."""
    queryset = Material.objects.filter(meeting=meeting)
    if loose:
        queryset = queryset.filter(agenda_item__isnull=True)
    return list(queryset.order_by("-series", "number"))


@dataclass(slots=True)
class ResponseRow:
    """One invitee's reply and attendance, with the names the pages show (no model instances)."""

    pk: int
    person_id: int
    organization_id: int
    reply: str
    deputy_name: str
    attended: bool | None
    capacity: str
    category: str
    person_name: str
    person_email: str
    organization_name: str
    checked: bool = False  # the attendance form's initial tick

    def get_reply_display(self) -> str:
        return Reply(self.reply).label if self.reply else ""


RESPONSE_COLUMNS = (
    "pk",
    "person_id",
    "organization_id",
    "reply",
    "deputy_name",
    "attended",
    "capacity",
    "category",
    "person__name",
    "person__email",
    "organization__name",
)


def responses_of(*, meeting: Meeting) -> list[ResponseRow]:
    """Return the replies and attendance with people's and organizations' names, in one query.

    Plain rows, not model instances: a meeting page lists 100 of them, and building a
    Response, a Person and an Organization for each cost more than the query.
    """
    return [
        ResponseRow(*values)
        for values in Response.objects.filter(meeting=meeting)
        .order_by("capacity", "category", "organization__code", "id")
        .values_list(*RESPONSE_COLUMNS)
    ]


def response_counts(*, responses: list[ResponseRow]) -> dict[str, int]:
    """Return how many replied 出席, 欠席, 代理出席 and how many have not replied."""
    counts = {choice: 0 for choice in Reply.values}
    counts["none"] = 0
    for response in responses:
        counts[response.reply or "none"] += 1
    return counts


def attendance_line(*, meeting: Meeting, responses: list[ResponseRow] | None = None) -> str:
    """Write the 出席者 line the seeds' way: 「役員10名(10団体)、総務省(オブザーバ)…及び事務局」."""
    if responses is None:
        responses = responses_of(meeting=meeting)
    present = [r for r in responses if r.attended]
    groups: OrderedDict[str, tuple[int, set[int]]] = OrderedDict()
    observers: list[str] = []
    for response in present:
        if response.capacity == InviteeCapacity.OBSERVER:
            if response.organization_name not in observers:
                observers.append(response.organization_name)
            continue
        count, orgs = groups.get(response.category, (0, set()))
        groups[response.category] = (count + 1, orgs | {response.organization_id})
    parts = [f"{label}{count}名({len(orgs)}団体)" for label, (count, orgs) in groups.items()]
    parts += [f"{name}(オブザーバ)" for name in observers]
    if meeting.audience_count:
        parts.append(f"傍聴({meeting.audience_count}名)")
    if not meeting.secretariat_attended:
        return "、".join(parts)
    if not parts:
        return "事務局"
    # One group: 「役員6名(6団体)、事務局」; several: 「…、傍聴(2名)及び事務局」 (seeds 001, 004).
    return "、".join(parts) + ("及び事務局" if len(parts) > 1 else "、事務局")


@dataclass
class PlanRow:
    body: str
    kind_label: str
    required: int
    basis: str
    held: int
    scheduled: int

    @property
    def missing(self) -> int:
        return max(self.required - self.held - self.scheduled, 0)


def fiscal_plan(*, fiscal_year: int) -> list[PlanRow]:
    """Return each declared requirement with the meetings held, scheduled and still missing."""
    start, end = fiscal_year_range(fiscal_year)
    now = timezone.now()
    counted = (
        Meeting.objects.filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .values("group_id", "kind")
        .annotate(
            held=Count("id", filter=Q(starts_at__lt=now)),
            scheduled=Count("id", filter=Q(starts_at__gte=now)),
        )
    )
    counts = {(row["group_id"], row["kind"]): row for row in counted}
    rows = []
    for requirement in MeetingRequirement.objects.filter(fiscal_year=fiscal_year).select_related(
        "group"
    ):
        row = counts.get((requirement.group_id, requirement.kind), {})
        rows.append(
            PlanRow(
                body=requirement.group.name if requirement.group else "本会",
                kind_label=MeetingKind(requirement.kind).label,
                required=requirement.required_count,
                basis=requirement.basis,
                held=row.get("held", 0),
                scheduled=row.get("scheduled", 0),
            )
        )
    return rows


def resolutions(
    *, user: User, fiscal_year: int | None = None, group_id: int | None = None
) -> QuerySet[Section]:
    """Return the resolved agenda items (決定事項) of confirmed minutes the user may read."""
    visible = meetings_visible(user).values("pk")
    queryset = (
        Section.objects.filter(minutes__status=MinutesStatus.CONFIRMED)
        .exclude(resolution="")
        .filter(Q(minutes__meeting__in=visible) | ~Q(minutes__publication=Publication.NONE))
        .select_related("minutes", "minutes__meeting", "minutes__meeting__group")
        .order_by("-minutes__meeting__starts_at", "position")
    )
    if fiscal_year:
        start, end = fiscal_year_range(fiscal_year)
        queryset = queryset.filter(
            minutes__meeting__starts_at__date__gte=start,
            minutes__meeting__starts_at__date__lte=end,
        )
    if group_id == 0:
        queryset = queryset.filter(minutes__meeting__group__isnull=True)
    elif group_id:
        queryset = queryset.filter(minutes__meeting__group_id=group_id)
    return queryset


def bodies() -> list[Group]:
    """Return the groups that can hold meetings (for filters and forms)."""
    return list(Group.objects.filter(is_active=True).order_by("name"))


def minutes_sections(*, minutes: Minutes) -> list[Section]:
    """Return the sections with their statements, in two queries."""
    return list(
        Section.objects.filter(minutes=minutes)
        .prefetch_related(Prefetch("statements", queryset=Statement.objects.order_by("position")))
        .order_by("position")
    )


def minutes_parsed(*, minutes: Minutes, sections: list[Section] | None = None) -> ParsedMinutes:
    """Return the stored minutes in the reader's structure (for text, versions and .docx)."""
    if sections is None:
        sections = minutes_sections(minutes=minutes)
    return ParsedMinutes(
        title=minutes.title,
        held_on=minutes.held_on_text,
        venue=minutes.venue_text,
        attendance=minutes.attendance_text,
        materials=minutes.materials_text,
        sections=[
            ParsedSection(
                kind=section.kind,
                heading=section.heading,
                body=section.body.split("\n") if section.body else [],
                statements=[
                    ParsedStatement(speaker=st.speaker, lines=st.text.split("\n"))
                    for st in section.statements.all()
                ],
                resolution=section.resolution,
                resolution_text=section.resolution_text,
            )
            for section in sections
        ],
    )


def inquiry_exists(inquiry_id: int) -> bool:
    """Tell whether the inquiry exists (looked up by model name: no import of inquiries)."""
    return apps.get_model("inquiries", "Inquiry").objects.filter(pk=inquiry_id).exists()
