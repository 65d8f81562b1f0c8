"""Meeting and minutes pages: fetch-and-check first, then a service or a selector."""

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.fiscal_year import fiscal_year_of
from renkei.core.links import absolute_url
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.directory.permissions import require
from renkei.meetings import selectors, services
from renkei.meetings.calendars import calendar_bytes
from renkei.meetings.forms import (
    AgendaItemForm,
    CommentForm,
    InviteesForm,
    MaterialForm,
    MeetingForm,
    MinutesTextForm,
    PublishForm,
    ReasonForm,
    ReplyForm,
    RequirementForm,
)
from renkei.meetings.lifecycle import MINUTES_WORKFLOW
from renkei.meetings.minutes_docx import minutes_docx
from renkei.meetings.minutes_text import minutes_render
from renkei.meetings.models import (
    CalendarFeed,
    Invitee,
    Meeting,
    MeetingKind,
    MeetingScope,
    Minutes,
    MinutesStatus,
    MinutesVersion,
    Publication,
    Resolution,
)
from renkei.meetings.permissions import (
    can_read_draft_minutes,
    get_managed_meeting_for,
    get_material_for,
    get_meeting_for,
    get_meeting_page_for,
    get_minutes_for,
    get_public_minutes,
    person_of,
)
from renkei.meetings.services import MeetingError
from renkei.meetings.transitions_text import TRANSITION_CONSEQUENCES

PAGE_SIZE = 50


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), ("会議", reverse("meetings:list")), *items]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _confirm_page(
    request: HttpRequest,
    *,
    meeting: Meeting,
    heading: str,
    message: str,
    button: str,
    crumb: str,
    form: Any = None,
    of_minutes: bool = False,
) -> HttpResponse:
    """Render the confirmation of a step on the meeting or its minutes, naming what it does."""
    back = reverse("meetings:detail", args=[meeting.pk])
    trail = [(meeting.title, back)]
    if of_minutes:
        back = reverse("meetings:minutes", args=[meeting.pk])
        trail.append(("会議録", back))
    return render(
        request,
        "meetings/confirm.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "heading": heading,
            "form": form,
            "message": message,
            "button": button,
            "back": back,
            "breadcrumbs": _crumbs(*trail, (crumb, None)),
        },
    )


def _meeting_form_page(
    request: HttpRequest,
    form: Any,
    *,
    meeting: Meeting,
    heading: str,
    crumb: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """Render the form of a step on the meeting, under the meeting in the breadcrumbs."""
    trail = (meeting.title, reverse("meetings:detail", args=[meeting.pk]))
    return render(
        request,
        "meetings/form.html",
        {
            "nav": "meetings",
            "form": form,
            "heading": heading,
            "meeting": meeting,
            "breadcrumbs": _crumbs(trail, (crumb or heading, None)),
            **extra,
        },
        status=status,
    )


def meeting_list(request: HttpRequest) -> HttpResponse:
    """List the meetings the user may see, by fiscal year, kind and body."""
    require(request.user, Capability.VIEW_MEETINGS)
    fiscal_year = _int(request.GET.get("fy"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in MeetingKind.values else ""
    group_id = _int(request.GET.get("body"))
    queryset = selectors.meetings_for(
        user=request.user, fiscal_year=fiscal_year, kind=kind, group_id=group_id
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = fiscal_year_of(timezone.localdate())
    return render(
        request,
        "meetings/list.html",
        {
            "nav": "meetings",
            "breadcrumbs": [("ホーム", reverse("home")), ("会議", None)],
            "page": page,
            "fy": fiscal_year,
            "kind": kind,
            "body": group_id,
            "years": list(range(this_year + 1, this_year - 8, -1)),
            "kinds": MeetingKind.choices,
            "bodies": selectors.bodies(),
        },
    )


def meeting_create(request: HttpRequest) -> HttpResponse:
    """Schedule a meeting (secretariat)."""
    require(request.user, Capability.MANAGE_MEETINGS)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(by=request.user, request=request, **form.meeting_fields())
        messages.success(request, "会議を登録しました。続けて招集者と議題を登録してください。")
        return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {
            "nav": "meetings",
            "form": form,
            "heading": "会議の登録",
            "breadcrumbs": _crumbs(("会議の登録", None)),
        },
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a meeting's details (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    start = timezone.localtime(meeting.starts_at)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "group": meeting.group,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "scope": meeting.scope,
        "notes": meeting.notes,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(
            meeting=meeting, by=request.user, request=request, **form.meeting_fields()
        )
        messages.success(request, "会議の内容を変更しました。")
        return redirect("meetings:detail", meeting.pk)
    return _meeting_form_page(request, form, meeting=meeting, heading="会議の変更", crumb="変更")


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a meeting: details, invitees, replies, agenda with materials, minutes."""
    meeting = get_meeting_page_for(request.user, pk)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    responses = selectors.responses_of(meeting=meeting)
    person = person_of(request.user)
    mine = next((r for r in responses if person and r.person_id == person.pk), None)
    invited = manage or meeting.user_invited
    minutes = meeting.minutes_row
    agenda, loose_materials = selectors.meeting_agenda(meeting=meeting, user=request.user)
    return render(
        request,
        "meetings/detail.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "manage": manage,
            "invited": invited,
            "invitee_count": meeting.invitee_count,
            "responses": responses if (manage or invited) else [],
            "counts": selectors.response_counts(responses=responses),
            "mine": mine,
            "reply_form": ReplyForm(
                initial={
                    "reply": mine.reply if mine else "",
                    "deputy_name": mine.deputy_name if mine else "",
                }
            ),
            "agenda": agenda,
            "loose_materials": loose_materials,
            "attendance_line": selectors.attendance_line(meeting=meeting, responses=responses),
            "minutes": minutes,
            "minutes_readable": minutes is not None
            and (
                can_read_draft_minutes(request.user, meeting, invited=meeting.user_invited)
                or (
                    minutes.status == MinutesStatus.CONFIRMED
                    and minutes.publication != Publication.NONE
                )
            ),
            "breadcrumbs": _crumbs((meeting.title, None)),
        },
    )


def invitees_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Add invitees: organizations, a group, observers (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    form = InviteesForm(request.POST or None)
    if request.method == "POST":
        remove = _int(request.POST.get("remove"))
        if remove:
            invitee = get_object_or_404(Invitee, pk=remove, meeting=meeting)
            services.invitee_remove(invitee=invitee, by=request.user, request=request)
            messages.success(request, "招集者から外しました。")
            return redirect("meetings:invitees", pk)
        if form.is_valid():
            data = form.cleaned_data
            count = services.invitees_add(
                meeting=meeting,
                by=request.user,
                organizations=data["organizations"],
                people=data["people"],
                group=data["group"],
                capacity=data["capacity"],
                category=data["category"],
                request=request,
            )
            messages.success(request, f"招集者を{count}件追加しました。")
            return redirect("meetings:invitees", pk)
    return render(
        request,
        "meetings/invitees.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "form": form,
            "invitees": list(
                Invitee.objects.filter(meeting=meeting).select_related(
                    "person", "organization", "group"
                )
            ),
            "breadcrumbs": _crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])), ("招集者", None)
            ),
        },
    )


def invitations_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then mail the invitations (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    if request.method == "POST":
        with refusal_flashed(request):
            count = services.invitations_send(meeting=meeting, by=request.user, request=request)
            messages.success(request, f"招集通知を{count}通送信しました。")
        return redirect("meetings:detail", pk)
    return _confirm_page(
        request,
        meeting=meeting,
        heading="招集通知の送信",
        message="招集者（個人、団体の通知先、グループの構成員）へ、会議の案内と予定表ファイル（.ics）の入手先をメールで送ります。送ったメールは取り消せません。",
        button="招集通知を送信する",
        crumb="招集通知",
    )


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the user's 出欠."""
    meeting = get_meeting_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "出欠を選んでください。")
        return redirect("meetings:detail", pk)
    with refusal_flashed(request):
        services.reply_record(
            meeting=meeting,
            by=request.user,
            reply=form.cleaned_data["reply"],
            deputy_name=form.cleaned_data["deputy_name"],
            request=request,
        )
        messages.success(request, "出欠を回答しました。")
    return redirect("meetings:detail", pk)


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who attended, the audience and the secretariat (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    responses = selectors.responses_of(meeting=meeting)
    error = ""
    if request.method == "POST":
        ids = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        audience = _int(request.POST.get("audience_count"))
        if audience is None:
            error = "傍聴者数を数字で入力してください。"
        else:
            try:
                line = services.attendance_record(
                    meeting=meeting,
                    by=request.user,
                    attended_ids=ids,
                    audience_count=audience,
                    secretariat_attended=request.POST.get("secretariat") == "1",
                    request=request,
                )
            except MeetingError as exc:
                error = exc.message
            else:
                messages.success(request, f"出席を記録しました。出席者：{line}")
                return redirect("meetings:detail", pk)
    for response in responses:
        response.checked = (
            response.attended
            if response.attended is not None
            else response.reply in ("attend", "deputy")
        )
    return render(
        request,
        "meetings/attendance.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "responses": responses,
            "error": error,
            "breadcrumbs": _crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])), ("出席の記録", None)
            ),
        },
        status=400 if error else 200,
    )


def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an agenda item (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form):
            services.agenda_item_add(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                presenter=data["presenter"],
                inquiry_id=data["inquiry_id"],
                request=request,
            )
            messages.success(request, "議題を追加しました。")
            return redirect("meetings:detail", pk)
    return _meeting_form_page(request, form, meeting=meeting, heading="議題の追加")


def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a material; it gets the next number (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    items = selectors.agenda_of(meeting=meeting)
    form = MaterialForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if i.pk == data["agenda_item"]), None)
        with refusal_on(form):
            material = services.material_add(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                file=data["file"],
                series=data["series"],
                agenda_item=item,
                request=request,
            )
            messages.success(request, f"{material.label}として登録しました。")
            return redirect("meetings:detail", pk)
    return _meeting_form_page(
        request,
        form,
        meeting=meeting,
        heading="配付資料の登録",
        multipart=True,
        status=400 if request.method == "POST" else 200,
    )


def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    """Send a material to someone who may see the meeting."""
    material = get_material_for(request.user, pk, material_pk)
    extension = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else "bin"
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.label}_{material.title}.{extension}",
    )


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one meeting as a calendar file."""
    meeting = get_meeting_for(request.user, pk)
    response = HttpResponse(
        calendar_bytes([meeting], name=meeting.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def my_calendar(request: HttpRequest) -> HttpResponse:
    """Show the user's meetings and the address of their calendar feed; POST issues a new one."""
    require(request.user, Capability.VIEW_MEETINGS)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        feed = services.feed_issue(by=request.user, request=request)
        messages.success(
            request, "予定表の配信用アドレスを発行しました。以前のアドレスは使えなくなりました。"
        )
        return redirect("meetings:my_calendar")
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "nav": "meetings",
            "feed_url": absolute_url(reverse("meetings:feed", args=[feed.token])) if feed else "",
            "meetings": list(
                selectors.meetings_of_person(user=request.user).filter(
                    starts_at__gte=timezone.now() - timezone.timedelta(days=90)
                )[:100]
            ),
            "breadcrumbs": _crumbs(("自分の会議予定", None)),
        },
    )


@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a person's meetings to a calendar program; the secret address is the key."""
    entry = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if (
        entry is None
        or not entry.user.is_active
        or not has_capability(entry.user, Capability.VIEW_MEETINGS)
    ):
        raise Http404("この予定表は見つかりません。")
    meetings = selectors.meetings_of_person(user=entry.user)
    return HttpResponse(
        calendar_bytes(meetings, name="会議予定"), content_type="text/calendar; charset=utf-8"
    )


def plan(request: HttpRequest) -> HttpResponse:
    """Show the fiscal year's required meetings against those held and scheduled."""
    require(request.user, Capability.VIEW_MEETINGS)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    fiscal_year = _int(request.GET.get("fy")) or fiscal_year_of(timezone.localdate())
    form = RequirementForm(request.POST or None) if manage else None
    if request.method == "POST":
        require(request.user, Capability.MANAGE_MEETINGS)
        if form.is_valid():
            data = form.cleaned_data
            services.requirement_set(
                by=request.user,
                fiscal_year=data["fiscal_year"],
                kind=data["kind"],
                group=data["group"],
                required_count=data["required_count"],
                basis=data["basis"],
                request=request,
            )
            messages.success(request, "開催計画を登録しました。")
            return redirect(f"{reverse('meetings:plan')}?fy={data['fiscal_year']}")
    return render(
        request,
        "meetings/plan.html",
        {
            "nav": "meetings",
            "rows": selectors.fiscal_plan(fiscal_year=fiscal_year),
            "fy": fiscal_year,
            "form": form,
            "breadcrumbs": _crumbs(("開催計画", None)),
        },
    )


def board_area(request: HttpRequest) -> HttpResponse:
    """The board area: board meetings, their materials and draft minutes."""
    require(request.user, Capability.VIEW_BOARD_AREA)
    meetings = list(
        selectors.meetings_for(user=request.user)
        .filter(scope=MeetingScope.BOARD)
        .select_related("minutes")[:50]
    )
    return render(
        request,
        "meetings/board.html",
        {"nav": "meetings", "meetings": meetings, "breadcrumbs": _crumbs(("役員専用ページ", None))},
    )


def resolution_list(request: HttpRequest) -> HttpResponse:
    """List the resolutions (決定事項) of confirmed minutes, by body and fiscal year."""
    require(request.user, Capability.VIEW_MEETINGS)
    fiscal_year = _int(request.GET.get("fy"))
    group_id = _int(request.GET.get("body"))
    page = Paginator(
        selectors.resolutions(user=request.user, fiscal_year=fiscal_year, group_id=group_id),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    this_year = fiscal_year_of(timezone.localdate())
    return render(
        request,
        "meetings/resolutions.html",
        {
            "nav": "meetings",
            "page": page,
            "fy": fiscal_year,
            "body": group_id,
            "bodies": selectors.bodies(),
            "years": list(range(this_year + 1, this_year - 8, -1)),
            "labels": dict(Resolution.choices),
            "breadcrumbs": _crumbs(("決定事項一覧", None)),
        },
    )


# --- minutes --------------------------------------------------------------------------------


def _minutes_context(minutes: Minutes) -> dict[str, Any]:
    sections = selectors.minutes_sections(minutes=minutes)
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "sections": sections,
        "labels": dict(Resolution.choices),
    }


def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the minutes, their status, comments and the steps the user may take."""
    minutes = get_minutes_for(request.user, pk)
    manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    context = _minutes_context(minutes)
    context.update(
        {
            "nav": "meetings",
            "manage": manage,
            "steps": MINUTES_WORKFLOW.available(minutes.status) if manage else [],
            "comments": list(minutes.comments.all())
            if can_read_draft_minutes(request.user, minutes.meeting)
            else [],
            "comment_form": CommentForm() if minutes.status == MinutesStatus.CIRCULATED else None,
            "public_url": absolute_url(reverse("meetings:public_minutes", args=[minutes.pk])),
            "breadcrumbs": _crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])), ("会議録", None)
            ),
        }
    )
    return render(request, "meetings/minutes.html", context)


@require_POST
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the minutes from the meeting's header and agenda (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    with refusal_flashed(request):
        services.minutes_create(meeting=meeting, by=request.user, request=request)
    return redirect("meetings:minutes_edit", pk)


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft as text (or paste existing minutes) and see how it was read."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    if minutes.status != MinutesStatus.DRAFT:
        messages.error(request, "下書きの会議録だけを編集できます。")
        return redirect("meetings:minutes", pk)
    form = MinutesTextForm(
        request.POST or None,
        initial={"text": minutes_render(selectors.minutes_parsed(minutes=minutes))},
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            parsed = services.minutes_text_save(
                minutes=minutes, by=request.user, text=form.cleaned_data["text"], request=request
            )
            messages.success(
                request,
                f"会議録を読み取りました（節{len(parsed.sections)}、議題{len(parsed.items())}、"
                f"発言{sum(len(s.statements) for s in parsed.sections)}、未整理の行{len(parsed.unplaced)}）。",
            )
            return redirect("meetings:minutes_edit", pk)
    context = _minutes_context(minutes)
    context.update(
        {
            "nav": "meetings",
            "form": form,
            "breadcrumbs": _crumbs(
                (meeting.title, reverse("meetings:detail", args=[pk])),
                ("会議録", reverse("meetings:minutes", args=[pk])),
                ("編集", None),
            ),
        }
    )
    return render(
        request, "meetings/minutes_edit.html", context, status=400 if form.errors else 200
    )


def minutes_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Confirm, then take a step of the minutes' workflow (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    if name not in {t.name for t in MINUTES_WORKFLOW.transitions}:
        raise Http404("この操作はありません。")
    step = MINUTES_WORKFLOW.transition(name)
    form = ReasonForm(request.POST or None) if name == "correct" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.minutes_transition(
                minutes=minutes,
                by=request.user,
                name=name,
                reason=form.cleaned_data["reason"] if form else "",
                request=request,
            )
        except ServiceError as error:  # MeetingError or TransitionError
            messages.error(request, error.message)
        else:
            messages.success(request, f"会議録の{step.label}を行いました。")
        return redirect("meetings:minutes", pk)
    return _confirm_page(
        request,
        meeting=meeting,
        heading=f"会議録の{step.label}",
        message=TRANSITION_CONSEQUENCES.get(name, ""),
        button=f"{step.label}する",
        crumb=step.label,
        form=form,
        of_minutes=True,
    )


def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then publish confirmed minutes to members or everyone (secretariat)."""
    meeting = get_managed_meeting_for(request.user, pk)
    minutes = get_minutes_for(request.user, meeting.pk)
    form = PublishForm(request.POST or None, initial={"publication": minutes.publication})
    if request.method == "POST" and form.is_valid():
        with refusal_flashed(request):
            services.minutes_publish(
                minutes=minutes,
                by=request.user,
                publication=form.cleaned_data["publication"],
                request=request,
            )
            messages.success(
                request, f"公開の範囲を「{minutes.get_publication_display()}」にしました。"
            )
        return redirect("meetings:minutes", pk)
    return _confirm_page(
        request,
        meeting=meeting,
        heading="会議録の公開",
        message="「一般に公開」を選ぶと、ログインしていない人も含め誰でもこの会議録を読めるようになります（公開ページのアドレスを知っていれば検索エンジンからも届きます）。「会員に公開」ではすべての会員が読めます。",
        button="公開の範囲を変更する",
        crumb="公開",
        form=form,
        of_minutes=True,
    )


def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """List the confirmed versions and compare two of them."""
    minutes = get_minutes_for(request.user, pk)
    versions = list(minutes.versions.select_related("created_by").order_by("number"))
    by_number = {v.number: v for v in versions}
    a, b = _int(request.GET.get("a")), _int(request.GET.get("b"))
    diff = []
    if a in by_number and b in by_number:
        diff = list(
            difflib.unified_diff(
                by_number[a].text.splitlines(),
                by_number[b].text.splitlines(),
                fromfile=f"第{a}版",
                tofile=f"第{b}版",
                lineterm="",
                n=2,
            )
        )
    return render(
        request,
        "meetings/versions.html",
        {
            "nav": "meetings",
            "minutes": minutes,
            "meeting": minutes.meeting,
            "versions": versions,
            "a": a,
            "b": b,
            "diff": diff,
            "breadcrumbs": _crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])),
                ("会議録", reverse("meetings:minutes", args=[pk])),
                ("版の一覧", None),
            ),
        },
    )


def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Show one confirmed version as it was."""
    minutes = get_minutes_for(request.user, pk)
    version = get_object_or_404(MinutesVersion, minutes=minutes, number=number)
    return render(
        request,
        "meetings/version.html",
        {
            "nav": "meetings",
            "minutes": minutes,
            "meeting": minutes.meeting,
            "version": version,
            "breadcrumbs": _crumbs(
                (minutes.meeting.title, reverse("meetings:detail", args=[pk])),
                ("版の一覧", reverse("meetings:minutes_versions", args=[pk])),
                (f"第{number}版", None),
            ),
        },
    )


@require_POST
def minutes_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment on circulated minutes (attendees and the secretariat)."""
    minutes = get_minutes_for(request.user, pk)
    if not can_read_draft_minutes(request.user, minutes.meeting):
        raise PermissionDenied("回覧中の会議録に意見を書けるのは出席者と事務局です。")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "意見を入力してください。")
        return redirect("meetings:minutes", pk)
    with refusal_flashed(request):
        services.comment_add(
            minutes=minutes, by=request.user, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "意見を送りました。")
    return redirect("meetings:minutes", pk)


def minutes_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the minutes as a Word document laid out like the published ones."""
    minutes = get_minutes_for(request.user, pk)
    content = minutes_docx(selectors.minutes_parsed(minutes=minutes))
    audit_record(
        action=Action.EXPORTED,
        actor=request.user,
        target=minutes,
        request=request,
        detail={"format": "docx"},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{minutes.meeting_id}.docx"'
    return response


@login_not_required
def public_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Show minutes published to everyone, without login."""
    minutes = get_public_minutes(pk)
    context = _minutes_context(minutes)
    context["public"] = True
    return render(request, "meetings/public_minutes.html", context)
