"""Inquiry pages: lists, detail, editor, review, answer form, versions and progress.

Every view fetches and checks access in one call from permissions.py; the work is done
by services.py and the reading by selectors.py.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.forms import service_error_add
from renkei.core.numbers import format_percent
from renkei.core.pagination import CountedPaginator
from renkei.core.question_kinds import kind_of
from renkei.core.row_urls import RowUrl
from renkei.core.wareki import format_datetime
from renkei.directory.models import Organization
from renkei.directory.organization_picker import candidates_response
from renkei.directory.permissions import organization_id_of, organization_of, require
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import organizations_without_notification_address
from renkei.inquiries import services
from renkei.inquiries.forms import (
    FIELD_OF_SETTING,
    REMIND_ALL,
    REMIND_SELECTED,
    REQUEST_CONFIRMATION,
    SAVE,
    SUBMIT,
    AnswerForm,
    AnswerLinkStartForm,
    AttachmentForm,
    ConfirmForm,
    DeadlineForm,
    InquiryForm,
    ProgressFilterForm,
    QuestionForm,
    RemindForm,
    ReviewForm,
    TargetForm,
    cell_field_name,
    question_field_name,
)
from renkei.inquiries.lifecycle import INQUIRY_WORKFLOW
from renkei.inquiries.mailings import mailings_unfinished
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerLink,
    AnswerStatus,
    Inquiry,
    InquiryStatus,
    MailingStatus,
    Question,
    QuestionKind,
)
from renkei.inquiries.permissions import (
    can_confirm,
    can_follow,
    can_manage,
    can_request,
    can_view_results,
    get_answer_file_for,
    get_answer_for,
    get_answer_for_link,
    get_answer_for_proxy,
    get_answer_to_confirm_for,
    get_attachment_for,
    get_inquiry_for,
    get_inquiry_for_review,
    get_inquiry_for_secretariat,
    get_inquiry_managed_for,
    get_inquiry_progress_for,
    get_inquiry_to_copy_for,
    get_inquiry_to_submit_for,
    get_managed_attachment_for,
    get_managed_question_for,
    is_requester,
    is_target,
    require_can_request,
)
from renkei.inquiries.selectors import (
    ProgressRow,
    answer_people_attach,
    answer_rows,
    answer_status_label,
    answer_versions,
    hidden_question_ids,
    inquiries_all,
    inquiries_answered_before,
    inquiries_in_review,
    inquiries_published,
    inquiries_requested,
    inquiries_to_answer,
    inquiry_questions,
    markdown_html,
    missing_required,
    non_submitted_organization_ids,
    progress_rows,
    progress_targets,
    reminder_recipient_count,
    requester_organizations,
    target_organizations,
)
from renkei.inquiries.selectors import inquiry_progress as progress_of
from renkei.inquiries.services import AnswerConflictError, AnswerLinkError, InquiryError

LIST_PAGE_SIZE = 30
# The button (and htmx request) that redraws the question form for another kind, unsaved.
QUESTION_REDRAW = "refresh"
# Organizations without a notification address listed per page before an inquiry opens.
MISSING_PAGE_SIZE = 50
# The session key of an answer link's narrow session: {"link", "nonce", "respondent"}.
ANSWER_LINK_SESSION = "answer_link"


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), ("照会", reverse("inquiries:list")), *items]


def _inquiry_crumbs(inquiry: Inquiry, *items: tuple[str, str | None]) -> list:
    return _crumbs((inquiry.title, reverse("inquiries:detail", args=[inquiry.pk])), *items)


def _detail(inquiry: Inquiry) -> HttpResponse:
    return redirect("inquiries:detail", pk=inquiry.pk)


def _refuse(request: HttpRequest, error: InquiryError) -> None:
    messages.error(request, error.message)


# --- lists ----------------------------------------------------------------------------------


@require_GET
def inquiry_list(request: HttpRequest) -> HttpResponse:
    """Show the inquiries for the user, in tabs."""
    user = request.user
    secretariat = has_capability(user, Capability.MANAGE_INQUIRIES)
    has_org = organization_id_of(user) is not None and can_request(user)
    tabs: list[tuple[str, str]] = []
    if secretariat:
        tabs += [("all", "すべての照会"), ("review", "審査待ち")]
    if has_org and not secretariat:
        tabs += [("answering", "回答依頼中"), ("mine", "作成した照会")]
    tabs.append(("published", "公開済みの結果"))
    tab = request.GET.get("tab") or tabs[0][0]
    if tab not in dict(tabs):
        raise Http404("このタブはありません。")
    context: dict[str, Any] = {
        "nav": "inquiries",
        "tabs": tabs,
        "tab": tab,
        "breadcrumbs": [("ホーム", reverse("home")), ("照会", None)],
        "can_create": can_request(user),
        "statuses": InquiryStatus.choices,
    }
    if tab == "answering":
        context["open_inquiries"] = list(inquiries_to_answer(user))
        context["past_inquiries"] = list(inquiries_answered_before(user)[:20])
        for inquiry in context["open_inquiries"] + context["past_inquiries"]:
            inquiry.my_status_label = _my_status_label(inquiry)
    else:
        if tab == "mine":
            queryset = inquiries_requested(user)
        elif tab == "published":
            queryset = inquiries_published(user)
        elif tab == "review":
            queryset = inquiries_in_review()
        else:
            status = request.GET.get("status", "")
            if status and status not in InquiryStatus.values:
                status = ""
            context["status"] = status
            context["query"] = request.GET.get("q", "").strip()
            queryset = inquiries_all(status=status, query=context["query"])
        page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
    if secretariat:
        context["review_count"] = inquiries_in_review().count()
    return render(request, "inquiries/list.html", context)


def _my_status_label(inquiry: Inquiry) -> str:
    status = getattr(inquiry, "my_answer_status", None)
    if status is None:
        return "未着手"
    if status == AnswerStatus.SUBMITTED:
        return f"提出済み（{AnswerKind(inquiry.my_answer_kind).label}）"
    label = AnswerStatus(status).label
    if inquiry.my_answer_submitted_at:
        return f"修正中（提出済みの回答あり）・{label}"
    return label


# --- creating and editing -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def inquiry_create(request: HttpRequest) -> HttpResponse:
    """Write a new inquiry (the secretariat) or 調査依頼 (a member)."""
    require_can_request(request.user)
    secretariat = has_capability(request.user, Capability.MANAGE_INQUIRIES)
    form = InquiryForm(request.POST or None, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create(
                by=request.user,
                draft=form.draft(),
                requester=form.cleaned_data.get("requester"),
                request=request,
            )
        except InquiryError as error:
            service_error_add(form, error)
        else:
            messages.success(
                request, "照会の下書きを作成しました。続けて設問と照会先を設定してください。"
            )
            return redirect("inquiries:questions", pk=inquiry.pk)
    return render(
        request,
        "inquiries/form.html",
        {
            "nav": "inquiries",
            "form": form,
            "heading": "照会を作成" if secretariat else "調査依頼を作成",
            "breadcrumbs": _crumbs(("新規作成", None)),
            "secretariat": secretariat,
        },
    )


@require_GET
def requester_candidates(request: HttpRequest) -> HttpResponse:
    """Answer the requester picker's typing with the matching organizations (htmx)."""
    require(request.user, Capability.MANAGE_INQUIRIES)
    return candidates_response(request, name="requester", within=requester_organizations())


@require_http_methods(["GET", "POST"])
def inquiry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title, purpose, contact, deadline and settings."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    secretariat = has_capability(request.user, Capability.MANAGE_INQUIRIES)
    form = InquiryForm(request.POST or None, instance=inquiry, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        try:
            # The secretariat's empty choice means the secretariat itself asks.
            requester = form.cleaned_data.get("requester") or (
                organization_of(request.user) if secretariat else None
            )
            services.inquiry_update(
                inquiry=inquiry,
                by=request.user,
                draft=form.draft(),
                requester=requester,
                request=request,
            )
        except InquiryError as error:
            service_error_add(form, error)
        else:
            messages.success(request, "照会の内容を保存しました。")
            return _detail(inquiry)
    return render(
        request,
        "inquiries/form.html",
        {
            "nav": "inquiries",
            "form": form,
            "inquiry": inquiry,
            "heading": "照会の内容を編集",
            "breadcrumbs": _inquiry_crumbs(inquiry, ("内容の編集", None)),
            "secretariat": secretariat,
        },
    )


def _confirm_page(
    request: HttpRequest,
    inquiry: Inquiry,
    *,
    heading: str,
    message: str,
    button: str,
    danger: bool,
    details: list[str] | None = None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "inquiries/confirm.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "heading": heading,
            "message": message,
            "details": details or [],
            "button": button,
            "danger": danger,
            "breadcrumbs": _inquiry_crumbs(inquiry, (heading, None)),
            **extra,
        },
    )


def _missing_addresses(request: HttpRequest, inquiry: Inquiry) -> dict[str, Any]:
    """Return the page of target organizations no mail would reach, for a confirmation page."""
    targets = target_organizations(spec=inquiry.target_spec, exclude_id=inquiry.requester_id)
    missing = organizations_without_notification_address(
        organization_ids=targets.values("pk")
    ).only("pk", "code", "name")
    page = Paginator(missing, MISSING_PAGE_SIZE).get_page(request.GET.get("missing_page"))
    return {"missing_page": page, "missing_count": page.paginator.count, "back_url": request.path}


@require_http_methods(["GET", "POST"])
def inquiry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft, after asking."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    if request.method == "GET":
        return _confirm_page(
            request,
            inquiry,
            heading="下書きの削除",
            message=f"「{inquiry.title}」を削除します。設問と資料も削除され、元に戻せません。",
            button="削除する",
            danger=True,
        )
    try:
        services.inquiry_delete(inquiry=inquiry, by=request.user, request=request)
    except InquiryError as error:
        _refuse(request, error)
        return _detail(inquiry)
    messages.success(request, f"「{inquiry.title}」を削除しました。")
    return redirect(
        reverse("inquiries:list")
        + "?tab="
        + ("all" if has_capability(request.user, Capability.MANAGE_INQUIRIES) else "mine")
    )


@require_http_methods(["GET", "POST"])
def inquiry_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the targets: all members, a group, a filter or hand-picked organizations."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form = TargetForm(request.POST or None, spec=inquiry.target_spec)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_targets_set(
                inquiry=inquiry, by=request.user, spec=form.cleaned_data["spec"], request=request
            )
        except InquiryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"照会先を設定しました（{inquiry.target_description}）。")
            return redirect("inquiries:targets", pk=inquiry.pk)
    preview = target_organizations(spec=inquiry.target_spec, exclude_id=inquiry.requester_id)
    return render(
        request,
        "inquiries/targets.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "preview_count": preview.count(),
            "preview": list(preview.values_list("name", flat=True)[:200]),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("照会先", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach documents (資料) to the inquiry."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_attachment_add(
                inquiry=inquiry, by=request.user, file=form.cleaned_data["file"], request=request
            )
        except InquiryError as error:
            service_error_add(form, error)
        else:
            messages.success(request, "資料を添付しました。")
            return redirect("inquiries:attachments", pk=inquiry.pk)
    return render(
        request,
        "inquiries/attachments.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "attachments": inquiry.attachments.all(),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("資料", None)),
        },
    )


@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove a document from the inquiry."""
    attachment = get_managed_attachment_for(request.user, pk, attachment_pk)
    inquiry = attachment.inquiry
    try:
        services.inquiry_attachment_delete(attachment=attachment, by=request.user, request=request)
    except InquiryError as error:
        _refuse(request, error)
    else:
        messages.success(request, f"「{attachment.name}」を削除しました。")
    return redirect("inquiries:attachments", pk=inquiry.pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Send a document of an inquiry the user may see."""
    attachment = get_attachment_for(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("ファイルが見つかりません。") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


# --- questions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def question_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the questions with the form to add one."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    form = QuestionForm(request.POST or None, inquiry=inquiry)
    if QUESTION_REDRAW in request.POST:
        if _settings_already_shown(request):
            return HttpResponse(status=204)
        form = form.redrawn()
    elif request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                inquiry=inquiry, by=request.user, draft=form.draft(), request=request
            )
        except InquiryError as error:
            service_error_add(form, error, aliases=FIELD_OF_SETTING)
        else:
            messages.success(request, f"設問「{question.code}」を追加しました。")
            return redirect(
                reverse("inquiries:questions", args=[inquiry.pk]) + f"#question-{question.pk}"
            )
    return render(
        request,
        "inquiries/questions.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "questions": inquiry_questions(inquiry),
            "form": form,
            "breadcrumbs": _inquiry_crumbs(inquiry, ("設問", None)),
        },
    )


def _settings_already_shown(request: HttpRequest) -> bool:
    """Tell whether htmx asks to redraw the settings of the kind the page already shows.

    A change event without a new kind would otherwise swap in a copy of the settings taken
    before the user's latest typing, and lose it.
    """
    posted = request.POST
    return bool(request.headers.get("HX-Request")) and posted.get("settings_kind") == posted.get(
        "kind"
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Change one question."""
    question = get_managed_question_for(request.user, pk, question_pk)
    inquiry = question.inquiry
    form = QuestionForm(request.POST or None, inquiry=inquiry, question=question)
    if QUESTION_REDRAW in request.POST:
        if _settings_already_shown(request):
            return HttpResponse(status=204)
        form = form.redrawn()
    elif request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question, by=request.user, draft=form.draft(), request=request
            )
        except InquiryError as error:
            service_error_add(form, error, aliases=FIELD_OF_SETTING)
        else:
            messages.success(request, f"設問「{question.code}」を保存しました。")
            return redirect(
                reverse("inquiries:questions", args=[inquiry.pk]) + f"#question-{question.pk}"
            )
    return render(
        request,
        "inquiries/question_form.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "question": question,
            "form": form,
            "breadcrumbs": _inquiry_crumbs(
                inquiry,
                ("設問", reverse("inquiries:questions", args=[inquiry.pk])),
                (question.code, None),
            ),
        },
    )


@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Remove one question."""
    question = get_managed_question_for(request.user, pk, question_pk)
    inquiry = question.inquiry
    try:
        services.question_delete(question=question, by=request.user, request=request)
    except InquiryError as error:
        _refuse(request, error)
    else:
        messages.success(request, f"設問「{question.code}」を削除しました。")
    return redirect("inquiries:questions", pk=inquiry.pk)


@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Move a question up or down."""
    question = get_managed_question_for(request.user, pk, question_pk)
    inquiry = question.inquiry
    try:
        services.question_move(
            question=question,
            by=request.user,
            up=request.POST.get("direction") == "up",
            request=request,
        )
    except InquiryError as error:
        _refuse(request, error)
    return redirect(reverse("inquiries:questions", args=[inquiry.pk]) + f"#question-{question.pk}")


# --- detail and lifecycle -------------------------------------------------------------------


@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an inquiry: purpose, documents, deadline, status and the user's part in it."""
    user = request.user
    inquiry = get_inquiry_for(user, pk)
    targeted = is_target(user, inquiry)
    my_answer = None
    if targeted:
        my_answer = (
            Answer.objects.filter(inquiry=inquiry, organization_id=organization_id_of(user))
            .select_related("updated_by", "submitted_by")
            # The page says how far the answer is, not what it says.
            .defer("data")
            .first()
        )
    managing = can_manage(user, inquiry)
    following = can_follow(user, inquiry)
    show_questions = managing or following or targeted or can_view_results(user, inquiry)
    questions = inquiry_questions(inquiry) if show_questions else []
    return render(
        request,
        "inquiries/detail.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "purpose_html": markdown_html(inquiry.purpose),
            "attachments": inquiry.attachments.all(),
            "questions": _question_lines(questions),
            "targeted": targeted,
            "my_answer": my_answer,
            "my_status_label": answer_status_label(my_answer) if targeted else "",
            "can_manage": managing,
            "can_follow": following,
            "is_requester": is_requester(user, inquiry),
            "can_view_results": can_view_results(user, inquiry),
            "can_copy": can_request(user),
            "target_count": inquiry.targets.count(),
            **(_mailings_context(inquiry) if managing or following else {}),
            "accepting": inquiry.status == InquiryStatus.OPEN,
            "results_url": _url_if_exists("inquiries:compilation", inquiry),
            "breadcrumbs": _crumbs((inquiry.title, None)),
        },
    )


def _question_lines(questions: list[Question]) -> list[dict[str, Any]]:
    """Return what the inquiry page says of each question, as plain values.

    Dictionaries, which the template engine reads at the first try: an inquiry of 60
    questions read through its objects (and get_kind_display) was most of the page.
    """
    kinds = dict(QuestionKind.choices)
    lines = []
    for question in questions:
        controller = question.condition_question
        lines.append(
            {
                "code": question.code,
                "text": question.text,
                "kind": kinds.get(question.kind, question.kind),
                "required": question.required,
                "unit": question.unit,
                "condition": (
                    f"{controller.code}で「{question.condition_value}」と回答した場合のみ"
                    if controller is not None
                    else ""
                ),
                "options": "／".join(question.options),
                "table": (
                    f"行：{'／'.join(question.table_rows or [])}"
                    f"　列：{'／'.join(question.table_columns or [])}"
                    if question.kind == QuestionKind.TABLE
                    else ""
                ),
            }
        )
    return lines


@require_GET
def inquiry_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the answer form as target organizations will see it; nothing can be saved."""
    inquiry = get_inquiry_managed_for(request.user, pk)
    questions = inquiry_questions(inquiry)
    # An unsaved answer: the form needs one, and a preview must not create a row.
    answer = Answer(inquiry=inquiry, organization=inquiry.requester)
    form = AnswerForm(questions=questions, answer=answer)
    for field in form.fields.values():
        field.disabled = True
    return render(
        request,
        "inquiries/preview.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "blocks": _question_blocks(form, questions),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("回答画面のプレビュー", None)),
        },
    )


def _url_if_exists(name: str, inquiry: Inquiry) -> str:
    """Return the address of a page written separately (compilation, offline), if it exists."""
    try:
        return reverse(name, args=[inquiry.pk])
    except NoReverseMatch:
        return ""


def _transition(request: HttpRequest, inquiry: Inquiry, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except InquiryError as error:
        _refuse(request, error)
    else:
        messages.success(request, success)
    return _detail(inquiry)


@require_POST
def inquiry_submit_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a member's draft to the secretariat for review."""
    inquiry = get_inquiry_to_submit_for(request.user, pk)
    return _transition(
        request,
        inquiry,
        lambda: services.inquiry_submit_for_review(
            inquiry=inquiry, by=request.user, request=request
        ),
        "事務局に審査を依頼しました。承認されると照会先へ送信されます。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or send back a 調査依頼 (the secretariat)."""
    inquiry = get_inquiry_for_review(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.inquiry_approve(
                    inquiry=inquiry, by=request.user, note=note, request=request
                )
                messages.success(request, "承認し、照会先へ送信しました。")
            else:
                services.inquiry_reject(
                    inquiry=inquiry, by=request.user, note=note, request=request
                )
                messages.success(request, "照会団体へ差し戻しました。")
        except InquiryError as error:
            service_error_add(form, error)
        else:
            return _detail(inquiry)
    return render(
        request,
        "inquiries/review.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "purpose_html": markdown_html(inquiry.purpose),
            "questions": inquiry_questions(inquiry),
            "preview_count": target_organizations(
                spec=inquiry.target_spec, exclude_id=inquiry.requester_id
            ).count(),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("審査", None)),
            **(
                _missing_addresses(request, inquiry)
                if inquiry.status == InquiryStatus.REVIEW
                else {}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Send out a secretariat draft to its targets, after asking."""
    inquiry = get_inquiry_for_secretariat(request.user, pk)
    if request.method == "GET":
        count = target_organizations(
            spec=inquiry.target_spec, exclude_id=inquiry.requester_id
        ).count()
        return _confirm_page(
            request,
            inquiry,
            heading="照会の開始",
            message=f"「{inquiry.title}」を開始し、照会先（{inquiry.target_description or '未設定'}、"
            f"{count:,}団体）の連絡窓口と共有メールアドレスへ、団体ごとの回答用リンクを付けて"
            "通知メールを送信します。照会団体にもお知らせします。"
            "開始後は設問と照会先を変更できません。",
            button="開始して送信する",
            danger=False,
            **_missing_addresses(request, inquiry),
        )
    return _transition(
        request,
        inquiry,
        lambda: services.inquiry_open(inquiry=inquiry, by=request.user, request=request),
        "照会を開始し、照会先へ通知メールを送信しました。",
    )


def _confirmed(request: HttpRequest) -> bool:
    """Tell whether the request is the confirmation page's own POST (its confirm field)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@require_http_methods(["GET", "POST"])
def inquiry_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop accepting answers, after a page that says who can no longer answer."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    if not _confirmed(request):
        progress = progress_of(inquiry)
        return _confirm_page(
            request,
            inquiry,
            heading="回答の締切",
            message=f"「{inquiry.title}」の回答の受付を締め切ります。",
            details=[
                f"照会先{progress.target_count:,}団体のうち{progress.submitted_count:,}団体が提出済みです"
                f"（{format_percent(progress.submitted_count, progress.target_count)}）。"
                f"未提出の{progress.waiting_count:,}団体は、締め切った後は回答を保存・提出できません。",
                "締め切った後も、回答期限を延長すれば受付を再開できます。",
                f"送信するメール：{INQUIRY_WORKFLOW.transition('close').mail}。",
            ],
            button="締め切る",
            danger=True,
        )
    return _transition(
        request,
        inquiry,
        lambda: services.inquiry_close(inquiry=inquiry, by=request.user, request=request),
        "回答の受付を締め切りました。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the results, after a page that says who will see them."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    if not _confirmed(request):
        progress = progress_of(inquiry)
        names = "団体名を伏せて（団体A、団体B…）" if inquiry.hide_names else "団体名を示して"
        return _confirm_page(
            request,
            inquiry,
            heading="結果の公開",
            message=f"「{inquiry.title}」の集計結果を公開します。公開は取り消せません。",
            details=[
                f"提出済みの{progress.submitted_count:,}団体（照会先{progress.target_count:,}団体中）"
                f"の回答を、{names}公開します。",
                f"公開範囲：{inquiry.get_results_visibility_display()}（事務局と照会団体は常に閲覧できます）。",
                f"送信するメール：{INQUIRY_WORKFLOW.transition('publish').mail}。",
            ],
            button="結果を公開する",
            danger=False,
        )
    return _transition(
        request,
        inquiry,
        lambda: services.inquiry_publish_results(inquiry=inquiry, by=request.user, request=request),
        "結果を公開しました。",
    )


@require_http_methods(["GET", "POST"])
def inquiry_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the deadline later and tell the targets."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_extend_deadline(
                inquiry=inquiry,
                by=request.user,
                deadline=form.cleaned_data["deadline"],
                request=request,
            )
        except InquiryError as error:
            service_error_add(form, error, aliases={"deadline": "deadline_date"})
        else:
            messages.success(request, "回答期限を延長し、照会先へ通知しました。")
            return _detail(inquiry)
    return render(
        request,
        "inquiries/extend.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "form": form,
            "breadcrumbs": _inquiry_crumbs(inquiry, ("期限の延長", None)),
        },
    )


@require_POST
def inquiry_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the inquiry into a new draft."""
    inquiry = get_inquiry_to_copy_for(request.user, pk)
    copy = services.inquiry_copy(inquiry=inquiry, by=request.user, request=request)
    messages.success(request, "照会を複製しました。回答期限を設定し、内容を確認してください。")
    return redirect("inquiries:edit", pk=copy.pk)


# --- progress and reminders -----------------------------------------------------------------


PROGRESS_PAGE_SIZE = 50


def _mailings_context(inquiry: Inquiry) -> dict[str, Any]:
    mailings = mailings_unfinished(inquiry=inquiry)
    return {
        "mailings": mailings,
        "mailings_running": any(m.status != MailingStatus.FAILED for m in mailings),
    }


@require_GET
def inquiry_mailings(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the inquiry's notices being rendered (polled by the pages that show it)."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    return render(
        request,
        "inquiries/_mailings.html",
        {"inquiry": inquiry, **_mailings_context(inquiry)},
    )


def _progress_lines(rows: list[ProgressRow], *, inquiry: Inquiry) -> list[dict[str, Any]]:
    """Return what each row of the progress page shows, as plain values.

    Dictionaries, because the template engine finds a key at the first try but an
    attribute only after failing a key lookup: a page of 50 rows read through its objects
    cost as much as the rest of the page. Each row's links are reversed once per page.
    """
    proxy = RowUrl("inquiries:proxy_answer", inquiry.pk)
    reissue = RowUrl("inquiries:answer_link_reissue", inquiry.pk)
    versions = RowUrl("inquiries:proxy_versions", inquiry.pk)
    notification = RowUrl("directory:organization_notification")
    lines = []
    for row in rows:
        organization, answer = row.organization, row.answer
        pk = organization.pk
        if row.submitted:
            when = f"提出 {format_datetime(answer.submitted_at)}"
        elif answer is not None:
            when = f"最終保存 {format_datetime(answer.updated_at)}"
        else:
            when = ""
        lines.append(
            {
                "pk": pk,
                "name": organization.name,
                "code": organization.code,
                "prefecture": PREFECTURES.get(organization.prefecture_code, "—"),
                "status": row.status_label,
                "by_proxy": answer is not None and answer.by_proxy,
                "when": when,
                "submitted": row.submitted,
                "contacts": [
                    {
                        "name": "共有アドレス" if person.is_shared_mailbox else person.name,
                        "email": person.email,
                        "phone": person.phone,
                    }
                    for person in row.contacts
                ],
                "proxy_url": proxy(pk),
                "reissue_url": reissue(pk),
                "versions_url": versions(pk),
                "notification_url": notification(pk),
            }
        )
    return lines


@require_GET
def inquiry_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Show how far the answers have come, then the targets, filtered and a page at a time."""
    inquiry = get_inquiry_progress_for(request.user, pk)
    filter_form = ProgressFilterForm(request.GET)
    filters = filter_form.filters()
    progress = progress_of(inquiry)
    targets = progress_targets(inquiry=inquiry, **filters)
    if filters["prefecture_code"] or filters["kind"] or filters["query"].strip():
        paginator = Paginator(targets, PROGRESS_PAGE_SIZE)
    else:
        # Filtered by status at most: the summary has counted them already.
        paginator = CountedPaginator(
            targets, PROGRESS_PAGE_SIZE, count=progress.status_count(filters["status"])
        )
    page = paginator.get_page(request.GET.get("page"))
    rows = progress_rows(inquiry=inquiry, organizations=page.object_list)
    kept = {
        name: value
        for name, value in (
            ("status", filters["status"]),
            ("prefecture", filters["prefecture_code"]),
            ("kind", filters["kind"]),
            ("q", filters["query"]),
        )
        if value
    }
    return render(
        request,
        "inquiries/progress.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "progress": progress,
            **_mailings_context(inquiry),
            "filter_form": filter_form,
            "filtered": bool(kept),
            "page": page,
            "rows": _progress_lines(rows, inquiry=inquiry),
            "query": urlencode(kept),
            "can_remind": inquiry.status == InquiryStatus.OPEN,
            "remind_scope": REMIND_SELECTED,
            "reminders": inquiry.reminders.select_related("sent_by", "mailing").defer(
                "mailing__organization_ids", "mailing__extra"
            )[:20],
            "revoke_url": reverse("inquiries:answer_links_revoke", args=[inquiry.pk]),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("回答状況", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def inquiry_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the non-submitting organizations, all of them or those chosen, after asking.

    GET asks about every non-submitting organization; a POST without `confirm` (the
    progress page's chosen few) asks about those; only the confirmation page's POST sends.
    """
    inquiry = get_inquiry_progress_for(request.user, pk)
    progress_url = reverse("inquiries:progress", args=[inquiry.pk])
    if inquiry.status != InquiryStatus.OPEN:
        messages.error(request, "督促できるのは受付中の照会のみです。")
        return redirect(progress_url)
    waiting_ids = non_submitted_organization_ids(inquiry)
    data = request.POST if request.method == "POST" else {"scope": REMIND_ALL}
    form = RemindForm(data, organization_ids=waiting_ids)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors() + form["organizations"].errors))
        return redirect(progress_url)
    everyone = form.cleaned_data["scope"] == REMIND_ALL
    chosen = list(form.cleaned_data["organizations"])
    if not (request.method == "POST" and form.cleaned_data["confirm"]):
        ids = waiting_ids if everyone else [organization.pk for organization in chosen]
        if not ids:
            messages.info(request, "督促が必要な団体はありません。")
            return redirect(progress_url)
        return render(
            request,
            "inquiries/remind_confirm.html",
            {
                "nav": "inquiries",
                "inquiry": inquiry,
                "everyone": everyone,
                "chosen": chosen,
                "organization_count": len(ids),
                "address_count": reminder_recipient_count(organization_ids=ids),
                "breadcrumbs": _inquiry_crumbs(
                    inquiry, ("回答状況", progress_url), ("督促メールの送信", None)
                ),
            },
        )
    try:
        reminder = services.inquiry_remind(
            inquiry=inquiry,
            organizations=None if everyone else chosen,
            by=request.user,
            request=request,
        )
    except InquiryError as error:
        _refuse(request, error)
    else:
        if reminder is None:
            messages.info(request, "督促が必要な団体はありません。")
        else:
            messages.success(
                request,
                f"{reminder.organizations.count():,}団体への督促メールを作成・送信しています。"
                "進み具合はこのページに表示されます。",
            )
    return redirect(progress_url)


# --- answering ------------------------------------------------------------------------------


def _question_blocks(form: AnswerForm, questions: list[Question]) -> list[dict[str, Any]]:
    controllers = {q.condition_question_id for q in questions if q.condition_question_id}
    blocks = []
    for question in questions:
        name = question_field_name(question)
        block: dict[str, Any] = {
            "question": question,
            "conditional": question.condition_question_id is not None,
            "controls": question.pk in controllers,
        }
        if kind_of(question).sheet_shape == "table":
            block["table"] = form.table_rows(question)
            block["table_errors"] = [
                error
                for r in range(len(question.table_rows))
                for c in range(len(question.table_columns))
                for error in form[cell_field_name(question, r, c)].errors
            ]
        else:
            block["field"] = form[name]
            if f"{name}_other" in form.fields:
                block["other"] = form[f"{name}_other"]
            if f"{name}_remove" in form.fields:
                block["remove"] = form[f"{name}_remove"]
                block["files"] = (form.answer.data or {}).get(str(question.pk)) or []
        blocks.append(block)
    return blocks


def _answer_page(
    request: HttpRequest,
    answer: Answer,
    *,
    proxy: bool,
    link: AnswerLink | None = None,
    respondent: str = "",
) -> HttpResponse:
    inquiry = answer.inquiry
    questions = inquiry_questions(inquiry)
    # Through an answer link nobody is logged in: the answer records no user.
    user = None if link is not None else request.user
    if link is not None:
        here = reverse("answer_link:answer")
    elif proxy:
        here = reverse("inquiries:proxy_answer", args=[inquiry.pk, answer.organization_id])
    else:
        here = reverse("inquiries:answer", args=[inquiry.pk])
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES, questions=questions, answer=answer)
        if form.is_valid():
            intent = form.cleaned_data.get("intent") or request.POST.get("intent") or SAVE
            try:
                services.answer_save(
                    answer=answer,
                    by=user,
                    revision=form.cleaned_data["revision"],
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data.get("reason", ""),
                    data=form.cleaned_data["data"],
                    uploads=form.cleaned_data["uploads"],
                    remove_file_ids=form.cleaned_data["remove_file_ids"],
                    proxy=proxy,
                    request=request,
                    questions=questions,
                    link=link,
                    respondent=respondent,
                )
            except AnswerConflictError as error:
                form.add_error(None, error.message)
                status = 409
            except InquiryError as error:
                service_error_add(form, error)
            else:
                if intent == SUBMIT:
                    # Saved; the answer is sent only from the page that shows all of it.
                    messages.info(
                        request,
                        "回答を一時保存しました。内容を確認して「この内容で提出する」を押してください。",
                    )
                    return redirect(_submit_url(answer, proxy=proxy, link=link))
                _answer_next_step(
                    request, answer, intent=intent, proxy=proxy, link=link, respondent=respondent
                )
                return redirect(here)
        else:
            status = 400
    else:
        form = AnswerForm(questions=questions, answer=answer)
        if proxy:
            # Before the first save there is no answer row yet: the inquiry is the target.
            audit_record(
                action=Action.RECORD_VIEWED,
                actor=user,
                target=answer if answer.pk else inquiry,
                request=request,
                detail={"organization": answer.organization_id},
            )
        if link is not None:
            services.answer_link_record(
                link=link, step="view", respondent=respondent, request=request
            )
    answer_people_attach(answer)
    accepting = True
    try:
        services.answer_accepting_check(inquiry)
    except InquiryError as error:
        accepting = False
        closed_message = error.message
    else:
        closed_message = ""
    return render(
        request,
        "inquiries/answer_form.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "answer": answer,
            "form": form,
            "blocks": _question_blocks(form, questions),
            # Browsers send a form without files as a plain encoded body, lighter to read.
            "has_files": any(kind_of(q).upload for q in questions),
            "hidden_ids": hidden_question_ids(questions, answer.data or {}),
            "proxy": proxy,
            "accepting": accepting,
            "closed_message": closed_message,
            # An unsaved answer (nothing typed yet) is 未着手, as on the progress page.
            "status_label": answer_status_label(answer if answer.pk else None),
            "is_representative": user is not None and can_confirm(user, answer),
            "via_link": link is not None,
            "respondent": respondent,
            "versions": list(answer_versions(answer)),
            "rows": [] if accepting else answer_rows(questions, answer.data or {}),
            "action_url": here,
            "conflict": status == 409,
            "offline_url": ""
            if proxy or link is not None
            else _url_if_exists("inquiries:offline", inquiry),
            "breadcrumbs": None
            if link is not None
            else _inquiry_crumbs(
                inquiry, (f"代理入力：{answer.organization.name}" if proxy else "回答", None)
            ),
        },
        status=status,
    )


def _answer_next_step(
    request: HttpRequest,
    answer: Answer,
    *,
    intent: str,
    proxy: bool,
    link: AnswerLink | None = None,
    respondent: str = "",
) -> None:
    """After a successful save, pass the answer on as the pressed button asked."""
    user = None if link is not None else request.user
    try:
        if intent == SUBMIT:
            version = services.answer_submit(
                answer=answer,
                by=user,
                revision=answer.revision,
                proxy=proxy,
                request=request,
                link=link,
                respondent=respondent,
                head_confirmed=request.POST.get("head_confirmed") == "1",
            )
            messages.success(request, f"回答を提出しました（第{version.number}版）。")
        elif intent == REQUEST_CONFIRMATION and user is not None:
            services.answer_request_confirmation(
                answer=answer, by=user, revision=answer.revision, request=request
            )
            messages.success(request, "回答を保存し、所属長（団体管理者）に確認を依頼しました。")
        else:
            messages.success(request, "回答を一時保存しました。まだ提出されていません。")
    except InquiryError as error:
        messages.error(request, "回答を一時保存しましたが、" + error.message)


def _submit_url(answer: Answer, *, proxy: bool, link: AnswerLink | None = None) -> str:
    if link is not None:
        return reverse("answer_link:submit")
    if proxy:
        return reverse("inquiries:proxy_submit", args=[answer.inquiry_id, answer.organization_id])
    return reverse("inquiries:answer_submit", args=[answer.inquiry_id])


def _submit_page(
    request: HttpRequest,
    answer: Answer,
    *,
    proxy: bool,
    link: AnswerLink | None = None,
    respondent: str = "",
) -> HttpResponse:
    """Show the whole saved answer (確認画面); only its own POST with `confirm` submits it."""
    inquiry = answer.inquiry
    if link is not None:
        back = reverse("answer_link:answer")
    elif proxy:
        back = reverse("inquiries:proxy_answer", args=[inquiry.pk, answer.organization_id])
    else:
        back = reverse("inquiries:answer", args=[inquiry.pk])
    if answer.pk is None:
        messages.error(request, "まだ回答が保存されていません。回答を入力して保存してください。")
        return redirect(back)
    if _confirmed(request):
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = -1
        try:
            version = services.answer_submit(
                answer=answer,
                # Through an answer link nobody is logged in: the answer records no user.
                by=None if link is not None else request.user,
                revision=revision,
                proxy=proxy,
                request=request,
                link=link,
                respondent=respondent,
                head_confirmed=request.POST.get("head_confirmed") == "1",
            )
        except InquiryError as error:
            _refuse(request, error)
            if link is not None and error.field == "head_confirmed":
                return redirect(request.path)
        else:
            messages.success(request, f"回答を提出しました（第{version.number}版）。")
        return redirect(back)
    if link is not None:
        services.answer_link_record(
            link=link, step="confirm", respondent=respondent, request=request
        )
    questions = inquiry_questions(inquiry)
    answered = answer.kind == AnswerKind.ANSWERED
    missing = missing_required(questions, answer.data or {}) if answered else []
    answer_people_attach(answer)
    return render(
        request,
        "inquiries/answer_submit.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "answer": answer,
            "rows": answer_rows(questions, answer.data or {}) if answered else [],
            "missing": missing,
            "proxy": proxy,
            "back_url": back,
            "status_label": answer_status_label(answer),
            "already_submitted": answer.status == AnswerStatus.SUBMITTED,
            "via_link": link is not None,
            "respondent": respondent,
            # Without an account nobody can ask the head of section in the product: the
            # respondent states the confirmation on this page instead.
            "needs_head_confirmation": link is not None
            and inquiry.requires_confirmation
            and answer.status != AnswerStatus.CONFIRMED,
            "breadcrumbs": None
            if link is not None
            else _inquiry_crumbs(
                inquiry,
                (f"代理入力：{answer.organization.name}" if proxy else "回答", back),
                ("提出内容の確認", None),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and submit the organization's saved answer."""
    answer = get_answer_for(request.user, pk)
    return _submit_page(request, answer, proxy=False)


@require_http_methods(["GET", "POST"])
def proxy_submit(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    """Confirm and submit an organization's answer entered by the secretariat (代理入力)."""
    answer = get_answer_for_proxy(request.user, pk, organization_pk)
    return _submit_page(request, answer, proxy=True)


@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization's shared answer form."""
    answer = get_answer_for(request.user, pk)
    return _answer_page(request, answer, proxy=False)


@require_http_methods(["GET", "POST"])
def proxy_answer(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    """The secretariat enters an organization's answer on its behalf (代理入力)."""
    answer = get_answer_for_proxy(request.user, pk, organization_pk)
    return _answer_page(request, answer, proxy=True)


@require_http_methods(["GET", "POST"])
def answer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The representative reviews the answer and confirms it (所属長確認)."""
    answer = get_answer_to_confirm_for(request.user, pk)
    inquiry = answer.inquiry
    form = ConfirmForm(request.POST or None, initial={"revision": answer.revision})
    if request.method == "POST" and form.is_valid():
        revision = form.cleaned_data["revision"]
        try:
            if form.cleaned_data["action"] == "confirm_submit":
                version = services.answer_submit(
                    answer=answer, by=request.user, revision=revision, request=request
                )
                messages.success(request, f"確認して提出しました（第{version.number}版）。")
            else:
                services.answer_confirm(
                    answer=answer, by=request.user, revision=revision, request=request
                )
                messages.success(request, "回答を確認しました。担当者が提出できます。")
        except InquiryError as error:
            _refuse(request, error)
            return redirect("inquiries:answer_confirm", pk=inquiry.pk)
        return redirect("inquiries:answer", pk=inquiry.pk)
    return render(
        request,
        "inquiries/answer_confirm.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "answer": answer,
            "rows": answer_rows(inquiry_questions(inquiry), answer.data or {}),
            "status_label": answer_status_label(answer),
            "breadcrumbs": _inquiry_crumbs(inquiry, ("所属長確認", None)),
        },
    )


@require_GET
def answer_version_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Show every submitted version of the organization's answer, with dates and submitters."""
    answer = get_answer_for(request.user, pk)
    return _versions_page(request, answer)


@require_GET
def proxy_version_list(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    """Show the submitted versions of a target organization's answer (the secretariat)."""
    answer = get_answer_for_proxy(request.user, pk, organization_pk)
    audit_record(action=Action.RECORD_VIEWED, actor=request.user, target=answer, request=request)
    return _versions_page(request, answer)


def _versions_page(request: HttpRequest, answer: Answer) -> HttpResponse:
    inquiry = answer.inquiry
    questions = inquiry_questions(inquiry)
    versions = [
        {"version": version, "rows": answer_rows(questions, version.data)}
        for version in answer_versions(answer)
    ]
    return render(
        request,
        "inquiries/answer_versions.html",
        {
            "nav": "inquiries",
            "inquiry": inquiry,
            "answer": answer,
            "versions": versions,
            "breadcrumbs": _inquiry_crumbs(inquiry, ("提出履歴", None)),
        },
    )


@require_GET
def answer_conditions(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the markers that show or hide the conditional questions as the answers stand."""
    return _conditions(request, get_inquiry_for(request.user, pk))


def _conditions(request: HttpRequest, inquiry: Inquiry) -> HttpResponse:
    questions = inquiry_questions(inquiry)
    data: dict[str, Any] = {}
    for question in questions:
        name = question_field_name(question)
        if kind_of(question).many:
            data[str(question.pk)] = request.GET.getlist(name)
        elif name in request.GET:
            data[str(question.pk)] = request.GET.get(name)
    return render(
        request,
        "inquiries/_conditions.html",
        {
            "conditional_ids": [q.pk for q in questions if q.condition_question_id],
            "hidden_ids": hidden_question_ids(questions, data),
        },
    )


@require_GET
def answer_file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """Send a file attached to an answer, to those who may see it."""
    answer_file = get_answer_file_for(request.user, pk, file_pk)
    try:
        handle = answer_file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("ファイルが見つかりません。") from exc
    return FileResponse(handle, as_attachment=True, filename=answer_file.name)


# --- answer links ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def answer_links_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the answer links of one organization (?organization=) or of the whole inquiry."""
    inquiry = get_inquiry_for_secretariat(request.user, pk)
    organization = None
    org_id = request.GET.get("organization") or request.POST.get("organization")
    if org_id:
        organization = (
            Organization.objects.filter(pk=org_id if str(org_id).isdigit() else -1)
            .filter(pk__in=inquiry.targets.values("organization_id"))
            .first()
        )
        if organization is None:
            raise Http404("この照会の照会先に、その団体はありません。")
    whom = f"{organization.name}の" if organization else "すべての団体の"
    if request.method == "GET":
        return _confirm_page(
            request,
            inquiry,
            heading="回答用リンクの取消",
            message=f"「{inquiry.title}」の{whom}回答用リンクを取り消します。"
            "取り消したリンクは開けなくなり、入力途中の方も保存できなくなります。"
            "アカウントでの回答はこれまでどおりできます。"
            "団体ごとに回答状況の画面から再発行できます。",
            button="取り消す",
            danger=True,
        )
    count = services.answer_link_revoke(
        inquiry=inquiry, by=request.user, organization=organization, request=request
    )
    messages.success(request, f"{whom}回答用リンクを取り消しました（{count}件）。")
    return redirect("inquiries:progress", pk=inquiry.pk)


@require_http_methods(["GET", "POST"])
def answer_link_reissue(request: HttpRequest, pk: int, organization_pk: int) -> HttpResponse:
    """Issue an organization a new answer link (the old one stops working) and mail it."""
    inquiry = get_inquiry_for_secretariat(request.user, pk)
    organization = (
        Organization.objects.filter(pk=organization_pk)
        .filter(pk__in=inquiry.targets.values("organization_id"))
        .first()
    )
    if organization is None:
        raise Http404("この照会の照会先に、その団体はありません。")
    if request.method == "GET":
        return _confirm_page(
            request,
            inquiry,
            heading="回答用リンクの再発行",
            message=f"{organization.name}に新しい回答用リンクを発行し、連絡窓口と共有メールアドレスへ"
            "送信します。以前のリンクは使えなくなります。",
            button="再発行して送信する",
            danger=False,
        )
    try:
        count = services.answer_link_reissue(
            inquiry=inquiry, organization=organization, by=request.user, request=request
        )
    except InquiryError as error:
        _refuse(request, error)
    else:
        if count:
            messages.success(
                request, f"{organization.name}に新しい回答用リンクを送信しました（{count}通）。"
            )
        else:
            messages.error(
                request,
                f"{organization.name}には通知先がないため、リンクを送信できませんでした。"
                "通知先を登録してから再発行してください。",
            )
    return redirect("inquiries:progress", pk=inquiry.pk)


def _link_refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "inquiries/answer_link_refused.html", {"message": message}, status=403)


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_link_open(request: HttpRequest, token: str) -> HttpResponse:
    """Open an organization's answer link: who answers, then a session for that answer only."""
    try:
        link = services.answer_link_resolve(token=token)
    except AnswerLinkError as error:
        return _link_refused(request, error.message)
    form = AnswerLinkStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        respondent = form.cleaned_data["respondent"]
        try:
            services.answer_link_start(link=link, respondent=respondent, request=request)
        except InquiryError as error:
            return _link_refused(request, error.message)
        # A fresh session key: nobody who knew the old cookie shares this answer session.
        request.session.cycle_key()
        request.session[ANSWER_LINK_SESSION] = {
            "link": link.pk,
            "nonce": link.nonce,
            "respondent": respondent,
        }
        return redirect("answer_link:answer")
    if request.method == "GET":
        services.answer_link_record(link=link, step="open", request=request)
    return render(
        request,
        "inquiries/answer_link_start.html",
        {
            "inquiry": link.inquiry,
            "organization": link.organization,
            "purpose_html": markdown_html(link.inquiry.purpose),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _link_session(request: HttpRequest) -> tuple[AnswerLink, str]:
    """Return the answer link of this browser's session and the respondent, or refuse."""
    data = request.session.get(ANSWER_LINK_SESSION) or {}
    if not data:
        raise PermissionDenied("メールでお送りした回答用リンクを開いてください。")
    try:
        link = services.answer_link_find(link_id=data.get("link"), nonce=data.get("nonce"))
    except AnswerLinkError as error:
        raise PermissionDenied(error.message) from error
    return link, str(data.get("respondent") or "")


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_link_answer(request: HttpRequest) -> HttpResponse:
    """The answer form of the one inquiry and organization this session's link names."""
    link, respondent = _link_session(request)
    answer = get_answer_for_link(link)
    return _answer_page(request, answer, proxy=False, link=link, respondent=respondent)


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_link_submit(request: HttpRequest) -> HttpResponse:
    """Confirm and submit the answer of this session's answer link (確認画面)."""
    link, respondent = _link_session(request)
    answer = get_answer_for_link(link)
    return _submit_page(request, answer, proxy=False, link=link, respondent=respondent)


@login_not_required
@require_GET
def answer_link_conditions(request: HttpRequest) -> HttpResponse:
    """Hide the questions whose condition the typed answers do not meet (answer-link form)."""
    link, _ = _link_session(request)
    return _conditions(request, link.inquiry)


@login_not_required
@require_POST
def answer_link_end(request: HttpRequest) -> HttpResponse:
    """End the answer-link session on this browser."""
    request.session.pop(ANSWER_LINK_SESSION, None)
    return render(request, "inquiries/answer_link_refused.html", {"ended": True})
