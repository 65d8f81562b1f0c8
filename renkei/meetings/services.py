"""Writes: meetings, invitations, replies, attendance, agenda, materials, minutes and versions.

Every write is audited in the same transaction; the minutes' status changes go through
`MINUTES_WORKFLOW` (renkei.meetings.lifecycle).
"""

import dataclasses
import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.files import upload_check
from renkei.core.links import absolute_url
from renkei.core.wareki import format_wareki, local_date
from renkei.directory.models import Group, GroupMember, Organization, Person
from renkei.directory.selectors import notification_recipients
from renkei.mailer.services import mail_queue
from renkei.meetings.calendars import invitation_attachment
from renkei.meetings.lifecycle import MINUTES_WORKFLOW
from renkei.meetings.minutes_text import ParsedMinutes, minutes_parse, minutes_render
from renkei.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Invitee,
    InviteeCapacity,
    Material,
    MaterialSeries,
    Meeting,
    MeetingRequirement,
    Minutes,
    MinutesComment,
    MinutesStatus,
    MinutesVersion,
    Publication,
    Reply,
    Response,
    Section,
    SectionKind,
    Statement,
)
from renkei.meetings.permissions import person_of
from renkei.meetings.selectors import attendance_line, minutes_parsed, responses_of


class MeetingError(ServiceError):
    """A request the rules refuse; the message is for the user, in Japanese, and may name a field."""


def _audit(
    *, by: User, target: Any, what: str, request: HttpRequest | None = None, **detail: Any
) -> None:
    audit_record(
        action=Action.CHANGED,
        actor=by,
        target=target,
        request=request,
        detail={"what": what, **detail},
    )


MEETING_FIELDS = (
    "title",
    "kind",
    "group",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "scope",
    "notes",
)


def meeting_create(*, by: User, request: HttpRequest | None = None, **fields: Any) -> Meeting:
    """Schedule a meeting."""
    with transaction.atomic():
        meeting = Meeting.objects.create(
            created_by=by, **{k: fields[k] for k in MEETING_FIELDS if k in fields}
        )
        _audit(by=by, target=meeting, what="meeting_created", request=request)
    return meeting


# What a change notice is sent for (and what moves the calendar entry's SEQUENCE).
NOTICE_FIELDS = ("starts_at", "ends_at", "venue", "online_url")


def meeting_update(
    *, meeting: Meeting, by: User, request: HttpRequest | None = None, **fields: Any
) -> Meeting:
    """Change a meeting's date, venue or other details.

    Once invitations were sent, a change of date, time, venue or online link raises the
    calendar entry's SEQUENCE and mails the invitees a change notice with the new .ics
    (same UID), so their calendars move the entry instead of adding a second one.
    """
    with transaction.atomic():
        changed = {}
        for key in MEETING_FIELDS:
            if key in fields and getattr(meeting, key) != fields[key]:
                changed[key] = str(fields[key])
                setattr(meeting, key, fields[key])
        moved = [key for key in NOTICE_FIELDS if key in changed]
        if moved:
            meeting.calendar_sequence += 1
        meeting.save()
        notified = 0
        if moved and meeting.invitations_sent_at is not None:
            notified = len(_notice_send(meeting=meeting, template="meeting_changed", moved=moved))
        _audit(
            by=by,
            target=meeting,
            what="meeting_updated",
            request=request,
            changed=changed,
            notified=notified,
        )
    return meeting


def _response_ensure(*, meeting: Meeting, person: Person, capacity: str, category: str) -> Response:
    response, _ = Response.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "organization_id": person.organization_id,
            "capacity": capacity,
            "category": category,
        },
    )
    return response


def invitees_add(
    *,
    meeting: Meeting,
    by: User,
    organizations: list[Organization] = (),  # type: ignore[assignment]
    people: list[Person] = (),  # type: ignore[assignment]
    group: Group | None = None,
    capacity: str = InviteeCapacity.MEMBER,
    category: str = "出席者",
    request: HttpRequest | None = None,
) -> int:
    """Invite people, whole organizations or a group; return how many invitees were added."""
    category = category.strip() or (
        "オブザーバ" if capacity == InviteeCapacity.OBSERVER else "出席者"
    )
    with transaction.atomic():
        rows = [
            Invitee(meeting=meeting, organization=o, capacity=capacity, category=category)
            for o in organizations
        ]
        rows += [
            Invitee(meeting=meeting, person=p, capacity=capacity, category=category) for p in people
        ]
        if group is not None:
            rows.append(Invitee(meeting=meeting, group=group, capacity=capacity, category=category))
        Invitee.objects.bulk_create(rows)
        for person in people:
            if person.organization_id:
                _response_ensure(
                    meeting=meeting, person=person, capacity=capacity, category=category
                )
        if group is not None:
            for member in GroupMember.objects.filter(
                group=group, person__isnull=False
            ).select_related("person"):
                if member.person.organization_id:
                    _response_ensure(
                        meeting=meeting, person=member.person, capacity=capacity, category=category
                    )
        _audit(by=by, target=meeting, what="invitees_added", request=request, count=len(rows))
    return len(rows)


def invitee_remove(*, invitee: Invitee, by: User, request: HttpRequest | None = None) -> None:
    """Take an invitee off the list."""
    with transaction.atomic():
        _audit(
            by=by,
            target=invitee.meeting,
            what="invitee_removed",
            request=request,
            invitee=str(invitee),
        )
        invitee.delete()


def _invitee_for(*, meeting: Meeting, person: Person) -> Invitee | None:
    """Return the invitee row that covers the person (own row first, then organization, group)."""
    rows = list(Invitee.objects.filter(meeting=meeting))
    for row in rows:
        if row.person_id == person.pk:
            return row
    for row in rows:
        if row.organization_id and row.organization_id == person.organization_id:
            return row
    groups = {row.group_id: row for row in rows if row.group_id}
    if groups:
        member = (
            GroupMember.objects.filter(group_id__in=groups).filter(person=person).first()
            or GroupMember.objects.filter(
                group_id__in=groups, organization_id=person.organization_id
            ).first()
        )
        if member is not None:
            return groups[member.group_id]
    return None


def reply_closed_reason(*, meeting: Meeting) -> str:
    """Return why 出欠 can no longer be answered for the meeting, or "" while it can."""
    if meeting.attendance_recorded_at is not None:
        return "出席の記録が済んだ会議には回答できません。事務局へご連絡ください。"
    return ""


def reply_record(
    *,
    meeting: Meeting,
    by: User,
    reply: str,
    deputy_name: str = "",
    request: HttpRequest | None = None,
) -> Response:
    """Record the user's 出欠: 出席, 欠席, or 代理出席 with the deputy's name."""
    person = person_of(by)
    if person is None or person.organization_id is None:
        raise MeetingError("団体に所属する方だけが出欠を回答できます。")
    invitee = _invitee_for(meeting=meeting, person=person)
    if invitee is None:
        raise MeetingError("この会議に招集されていないため、出欠を回答できません。")
    if reply not in Reply.values:
        raise MeetingError("出欠を選んでください。", field="reply")
    deputy_name = deputy_name.strip()
    if reply == Reply.DEPUTY and not deputy_name:
        raise MeetingError(
            "代理出席の場合は、代理で出席する方の氏名を入力してください。", field="deputy_name"
        )
    if reply != Reply.DEPUTY:
        deputy_name = ""
    closed = reply_closed_reason(meeting=meeting)
    if closed:
        raise MeetingError(closed)
    with transaction.atomic():
        response = _response_ensure(
            meeting=meeting, person=person, capacity=invitee.capacity, category=invitee.category
        )
        response.reply, response.deputy_name, response.replied_at = (
            reply,
            deputy_name,
            timezone.now(),
        )
        response.save(update_fields=["reply", "deputy_name", "replied_at"])
        _audit(
            by=by, target=meeting, what="reply", request=request, reply=reply, deputy=deputy_name
        )
    return response


def _invitation_recipients(*, meeting: Meeting) -> list[tuple[str, str]]:
    """Return (name, address) of invited people, group members and organizations' addresses."""
    rows = list(Invitee.objects.filter(meeting=meeting).select_related("person"))
    people = [row.person for row in rows if row.person_id]
    organization_ids = {row.organization_id for row in rows if row.organization_id}
    group_ids = [row.group_id for row in rows if row.group_id]
    for member in GroupMember.objects.filter(group_id__in=group_ids).select_related("person"):
        if member.person_id:
            people.append(member.person)
        else:
            organization_ids.add(member.organization_id)
    recipients = [(p.name, p.email) for p in people if p.email]
    recipients += [
        (r.organization.name, r.email)
        for r in notification_recipients(organization_ids=organization_ids)
    ]
    return recipients


def _notice_send(
    *,
    meeting: Meeting,
    template: str,
    moved: list[str] | None = None,
    recipients: list[tuple[str, str]] | None = None,
) -> list:
    """Mail the invitees a notice about the meeting with its .ics attached (METHOD:REQUEST)."""
    if recipients is None:
        recipients = _invitation_recipients(meeting=meeting)
    return mail_queue(
        to=recipients,
        template=template,
        topic=f"meeting:{meeting.pk}",
        context={
            "meeting": meeting,
            "kind_label": meeting.get_kind_display(),
            "moved": moved or [],
            "meeting_url": absolute_url(reverse("meetings:detail", args=[meeting.pk])),
        },
        attachments=[invitation_attachment(meeting)],
    )


def invitations_send(*, meeting: Meeting, by: User, request: HttpRequest | None = None) -> int:
    """Mail the 招集通知 with the meeting's page and its calendar file attached to every invitee."""
    recipients = _invitation_recipients(meeting=meeting)
    if not recipients:
        raise MeetingError("招集者が登録されていないか、メールアドレスがありません。")
    with transaction.atomic():
        messages = _notice_send(
            meeting=meeting, template="meeting_invitation", recipients=recipients
        )
        meeting.invitations_sent_at = timezone.now()
        Meeting.objects.filter(pk=meeting.pk).update(
            invitations_sent_at=meeting.invitations_sent_at
        )
        _audit(by=by, target=meeting, what="invitations_sent", request=request, count=len(messages))
    return len(messages)


def attendance_record(
    *,
    meeting: Meeting,
    by: User,
    attended_ids: set[int],
    audience_count: int,
    secretariat_attended: bool,
    request: HttpRequest | None = None,
) -> str:
    """Record who attended after the meeting; return the attendance line it makes."""
    if audience_count < 0:
        raise MeetingError("傍聴者数は0以上の数で入力してください。", field="audience_count")
    with transaction.atomic():
        responses = Response.objects.filter(meeting=meeting)
        responses.filter(pk__in=attended_ids).update(attended=True)
        responses.exclude(pk__in=attended_ids).update(attended=False)
        meeting.audience_count = audience_count
        meeting.secretariat_attended = secretariat_attended
        meeting.attendance_recorded_at = timezone.now()
        meeting.save(
            update_fields=[
                "audience_count",
                "secretariat_attended",
                "attendance_recorded_at",
                "updated_at",
            ]
        )
        line = attendance_line(meeting=meeting)
        _audit(by=by, target=meeting, what="attendance_recorded", request=request, line=line)
    return line


def _next_number(*, meeting: Meeting, rows: QuerySet, field: str) -> int:
    """Return the number after the meeting's highest `field` among `rows` (inside an atomic).

    The meeting row is the lock: two additions at once get consecutive numbers.
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    return (rows.filter(meeting=meeting).aggregate(m=Max(field))["m"] or 0) + 1


def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    presenter: str = "",
    presenter_organization: Organization | None = None,
    inquiry_id: int | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    if not title.strip():
        raise MeetingError("議題を入力してください。", field="title")
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=_next_number(meeting=meeting, rows=AgendaItem.objects.all(), field="position"),
            title=title.strip(),
            presenter=presenter.strip(),
            presenter_organization=presenter_organization,
            inquiry_id=inquiry_id,
        )
        _audit(by=by, target=meeting, what="agenda_item_added", request=request, title=item.title)
    return item


def material_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    file: UploadedFile,
    series: str = MaterialSeries.MAIN,
    agenda_item: AgendaItem | None = None,
    request: HttpRequest | None = None,
) -> Material:
    """Store a material under the next number of its series (資料3, 追加資料1)."""
    upload_check(file, refused_as=MeetingError)
    if series not in MaterialSeries.values:
        raise MeetingError("資料の区分を選んでください。", field="series")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise MeetingError("この会議の議題を選んでください。", field="agenda_item")
    with transaction.atomic():
        number = _next_number(
            meeting=meeting, rows=Material.objects.filter(series=series), field="number"
        )
        material = Material.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            series=series,
            number=number,
            title=title.strip() or file.name,
            file=file,
            uploaded_by=by,
        )
        _audit(by=by, target=meeting, what="material_added", request=request, label=material.label)
    return material


def requirement_set(
    *,
    by: User,
    fiscal_year: int,
    kind: str,
    required_count: int,
    group: Group | None = None,
    basis: str = "",
    request: HttpRequest | None = None,
) -> MeetingRequirement:
    """Declare how many meetings of a kind a body must hold in a fiscal year."""
    if required_count < 1:
        raise MeetingError("開催回数は1以上で入力してください。", field="required_count")
    with transaction.atomic():
        requirement, _ = MeetingRequirement.objects.update_or_create(
            group=group,
            kind=kind,
            fiscal_year=fiscal_year,
            defaults={"required_count": required_count, "basis": basis.strip()},
        )
        _audit(
            by=by, target=requirement, what="requirement_set", request=request, count=required_count
        )
    return requirement


def _held_on_text(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    text = f"{format_wareki(local_date(start))} {start:%H:%M}"
    if meeting.ends_at:
        text += f"~{timezone.localtime(meeting.ends_at):%H:%M}"
    return text


def minutes_create(*, meeting: Meeting, by: User, request: HttpRequest | None = None) -> Minutes:
    """Start the minutes from what the meeting knows: header, attendance, agenda as sections."""
    if Minutes.objects.filter(meeting=meeting).exists():
        raise MeetingError("この会議の会議録は作成済みです。")
    from renkei.meetings.selectors import agenda_of, materials_of

    materials = materials_of(meeting=meeting)
    body = meeting.group.name if meeting.group else ""
    parsed = ParsedMinutes(
        title=f"{meeting.title} 会議録",
        held_on=_held_on_text(meeting),
        venue=meeting.venue,
        attendance=attendance_line(meeting=meeting, responses=responses_of(meeting=meeting)),
        materials="\n".join(f"{m.label} {m.title}" for m in materials),
    )
    from renkei.meetings.minutes_text import ParsedSection

    parsed.sections = [
        ParsedSection(kind="opening", heading="開会", body=["事務局から開会を宣した。"]),
        ParsedSection(kind="greeting", heading="挨拶"),
        ParsedSection(
            kind="proceedings",
            heading="議題",
            body=[f"{body}会議次第に従い議事を進めた。".lstrip()],
        ),
    ]
    for item in agenda_of(meeting=meeting):
        labels = "、".join(m.label for m in item.material_list)
        presenter = item.presenter or (
            item.presenter_organization.name if item.presenter_organization else "事務局"
        )
        explanation = (
            f"{presenter}から、{labels}に基づき説明が行われた。"
            if labels
            else f"{presenter}から説明が行われた。"
        )
        parsed.sections.append(ParsedSection(kind="item", heading=item.title, body=[explanation]))
    parsed.sections += [
        ParsedSection(kind="other", heading="その他"),
        ParsedSection(kind="closing", heading="閉会", body=["事務局が閉会を宣して散会した。"]),
    ]
    with transaction.atomic():
        minutes = Minutes.objects.create(meeting=meeting, title=parsed.title)
        _structure_store(minutes=minutes, parsed=parsed)
        _audit(by=by, target=minutes, what="minutes_created", request=request)
    return minutes


def _structure_store(*, minutes: Minutes, parsed: ParsedMinutes) -> None:
    """Replace the minutes' header, sections and statements with the parsed structure."""
    minutes.title = parsed.title or minutes.title
    minutes.held_on_text = parsed.held_on
    minutes.venue_text = parsed.venue
    minutes.attendance_text = parsed.attendance
    minutes.materials_text = parsed.materials
    minutes.unplaced = [dataclasses.asdict(u) for u in parsed.unplaced]
    minutes.save()
    Section.objects.filter(minutes=minutes).delete()
    sections = Section.objects.bulk_create(
        [
            Section(
                minutes=minutes,
                position=index,
                kind=s.kind if s.kind in SectionKind.values else SectionKind.ITEM,
                heading=s.heading[:300],
                body="\n".join(s.body),
                resolution=s.resolution,
                resolution_text=s.resolution_text[:500],
            )
            for index, s in enumerate(parsed.sections, start=1)
        ]
    )
    Statement.objects.bulk_create(
        [
            Statement(section=section, position=index, speaker=st.speaker[:100], text=st.text)
            for section, parsed_section in zip(sections, parsed.sections, strict=True)
            for index, st in enumerate(parsed_section.statements, start=1)
        ],
        batch_size=500,
    )


def minutes_text_save(
    *, minutes: Minutes, by: User, text: str, request: HttpRequest | None = None
) -> ParsedMinutes:
    """Read the pasted or edited text into the draft; return what was read, with unplaced lines."""
    if minutes.status != MinutesStatus.DRAFT:
        raise MeetingError(
            "下書きの会議録だけを編集できます。確定後の訂正は「訂正」から新しい版を作ってください。"
        )
    if not text.strip():
        raise MeetingError("会議録の本文を入力してください。", field="text")
    parsed = minutes_parse(text)
    if not parsed.title:
        raise MeetingError(
            "表題（「会議録」を含む行）が見つかりません。1行目に表題を書いてください。",
            field="text",
        )
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.status != MinutesStatus.DRAFT:
            raise MeetingError("他の方が先に回覧または確定しました。画面を開き直してください。")
        _structure_store(minutes=minutes, parsed=parsed)
        _audit(
            by=by,
            target=minutes,
            what="minutes_edited",
            request=request,
            sections=len(parsed.sections),
            unplaced=len(parsed.unplaced),
        )
    return parsed


def _attendee_recipients(*, minutes: Minutes) -> list[tuple[str, str]]:
    return [
        (r.person_name, r.person_email)
        for r in responses_of(meeting=minutes.meeting)
        if (r.attended or r.reply in (Reply.ATTEND, Reply.DEPUTY)) and r.person_email
    ]


def minutes_transition(
    *, minutes: Minutes, by: User, name: str, reason: str = "", request: HttpRequest | None = None
) -> Minutes:
    """Circulate, withdraw, confirm or correct the minutes, with the mail each step sends."""
    reason = reason.strip()
    changes: dict[str, Any] = {}
    if name == "correct":
        if not reason:
            raise MeetingError("訂正の理由を入力してください。", field="reason")
        changes = {
            "version": minutes.version + 1,
            "correction_reason": reason[:500],
            "publication": Publication.NONE,
        }

    def after(instance: Minutes) -> None:
        url = absolute_url(reverse("meetings:minutes", args=[instance.meeting_id]))
        if name == "confirm":
            parsed = minutes_parsed(minutes=instance)
            MinutesVersion.objects.create(
                minutes=instance,
                number=instance.version,
                reason=instance.correction_reason or "初版",
                text=minutes_render(parsed),
                content=dataclasses.asdict(parsed),
                created_by=by,
            )
        if name in ("circulate", "confirm"):
            mail_queue(
                to=_attendee_recipients(minutes=instance),
                template="minutes_circulated" if name == "circulate" else "minutes_confirmed",
                topic=f"minutes:{instance.pk}",
                context={"minutes": instance, "meeting": instance.meeting, "minutes_url": url},
            )

    return MINUTES_WORKFLOW.apply(
        instance=minutes,
        name=name,
        by=by,
        changes=changes,
        request=request,
        after=after,
        detail={"reason": reason} if reason else None,
    )


def minutes_publish(
    *, minutes: Minutes, by: User, publication: str, request: HttpRequest | None = None
) -> Minutes:
    """Publish confirmed minutes to members or to everyone, or take them back."""
    if publication not in Publication.values:
        raise MeetingError("公開の範囲を選んでください。", field="publication")
    if minutes.status != MinutesStatus.CONFIRMED and publication != Publication.NONE:
        raise MeetingError("確定した会議録だけを公開できます。")
    with transaction.atomic():
        updated = Minutes.objects.filter(pk=minutes.pk, status=minutes.status).update(
            publication=publication,
            published_at=timezone.now() if publication != Publication.NONE else None,
        )
        if not updated:
            raise MeetingError("他の方が先に操作しました。画面を開き直してください。")
        minutes.refresh_from_db()
        _audit(
            by=by,
            target=minutes,
            what="minutes_published",
            request=request,
            publication=publication,
        )
    return minutes


def comment_add(
    *, minutes: Minutes, by: User, text: str, request: HttpRequest | None = None
) -> MinutesComment:
    """Add an attendee's comment on circulated minutes."""
    if minutes.status != MinutesStatus.CIRCULATED:
        raise MeetingError("回覧中の会議録にだけ意見を書けます。")
    if not text.strip():
        raise MeetingError("意見を入力してください。", field="text")
    with transaction.atomic():
        comment = MinutesComment.objects.create(
            minutes=minutes,
            author=by,
            author_name=by.get_full_name() or by.get_username(),
            text=text.strip()[:5000],
            version=minutes.version,
        )
        _audit(by=by, target=minutes, what="minutes_comment", request=request)
    return comment


def meeting_day(meeting: Meeting) -> dt.date:
    """Return the local date of the meeting."""
    return local_date(timezone.localtime(meeting.starts_at))


def feed_issue(*, by: User, request: HttpRequest | None = None) -> CalendarFeed:
    """Issue (or replace) the user's secret calendar address; the old one stops working."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=by).delete()
        feed = CalendarFeed.objects.create(user=by)
        _audit(by=by, target=feed, what="calendar_feed_issued", request=request)
    return feed
