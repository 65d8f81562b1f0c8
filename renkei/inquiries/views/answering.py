"""Answering an inquiry: the answer form, confirmation, submission, versions, proxies."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.files import file_download
from renkei.core.forms import service_error_add
from renkei.core.question_kinds import cell_field_name, hidden_question_ids, kind_of
from renkei.inquiries import services
from renkei.inquiries.forms.answering import (
    REQUEST_CONFIRMATION,
    SAVE,
    SUBMIT,
    AnswerForm,
    ConfirmForm,
    question_field_name,
)
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerLink,
    AnswerStatus,
    Inquiry,
    Question,
)
from renkei.inquiries.permissions import (
    can_confirm,
    get_answer_file_for,
    get_answer_for,
    get_answer_for_proxy,
    get_answer_to_confirm_for,
    get_inquiry_for,
)
from renkei.inquiries.selectors.answers import (
    answer_people_attach,
    answer_status_label,
    answer_versions,
)
from renkei.inquiries.selectors.questions import answer_rows, inquiry_questions, missing_required
from renkei.inquiries.services.errors import AnswerConflictError, InquiryError
from renkei.inquiries.views.common import confirmed, inquiry_crumbs, url_if_exists


def question_blocks(form: AnswerForm, questions: list[Question]) -> list[dict[str, Any]]:
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


# The URL names of the answer form and of its confirmation page, on each route an answer is
# reached by: an answer link (no account), the secretariat's 代理入力, the organization's members.
ROUTE_URL_NAMES = {
    "answer": ("answer_link:answer", "inquiries:proxy_answer", "inquiries:answer"),
    "submit": ("answer_link:submit", "inquiries:proxy_submit", "inquiries:answer_submit"),
}


@dataclass(frozen=True)
class AnswerRoute:
    """An answer as one route reaches it: as a member, by 代理入力 (`proxy`), or by a `link`.

    Through an answer link nobody has an account; the `respondent` named themselves.
    """

    answer: Answer
    proxy: bool = False
    link: AnswerLink | None = None
    respondent: str = ""

    def url(self, page: str) -> str:
        """Return the address of the answer form or its confirmation `page` on this route."""
        via_link, via_proxy, as_member = ROUTE_URL_NAMES[page]
        if self.link is not None:
            return reverse(via_link)
        if self.proxy:
            return reverse(via_proxy, args=[self.answer.inquiry_id, self.answer.organization_id])
        return reverse(as_member, args=[self.answer.inquiry_id])


def answer_page(request: HttpRequest, route: AnswerRoute) -> HttpResponse:
    answer, proxy, link, respondent = route.answer, route.proxy, route.link, route.respondent
    inquiry = answer.inquiry
    questions = inquiry_questions(inquiry)
    # Through an answer link nobody is logged in: the answer records no user.
    user = None if link is not None else request.user
    here = route.url("answer")
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
                    return redirect(route.url("submit"))
                _answer_next_step(request, answer, intent=intent, user=user)
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
            "blocks": question_blocks(form, questions),
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
            else url_if_exists("inquiries:offline", inquiry),
            "breadcrumbs": None
            if link is not None
            else inquiry_crumbs(
                inquiry, (f"代理入力：{answer.organization.name}" if proxy else "回答", None)
            ),
        },
        status=status,
    )


def _answer_next_step(
    request: HttpRequest, answer: Answer, *, intent: str, user: User | None
) -> None:
    """After a successful save, ask for the representative's confirmation if the button did.

    Submitting is not a next step here: answer_page sends it to the page that shows it all.
    """
    try:
        if intent == REQUEST_CONFIRMATION and user is not None:
            services.answer_request_confirmation(
                answer=answer, by=user, revision=answer.revision, request=request
            )
            messages.success(request, "回答を保存し、所属長（団体管理者）に確認を依頼しました。")
        else:
            messages.success(request, "回答を一時保存しました。まだ提出されていません。")
    except InquiryError as error:
        messages.error(request, "回答を一時保存しましたが、" + error.message)


def submit_page(request: HttpRequest, route: AnswerRoute) -> HttpResponse:
    """Show the whole saved answer (確認画面); only its own POST with `confirm` submits it."""
    answer, proxy, link, respondent = route.answer, route.proxy, route.link, route.respondent
    inquiry = answer.inquiry
    back = route.url("answer")
    if answer.pk is None:
        messages.error(request, "まだ回答が保存されていません。回答を入力して保存してください。")
        return redirect(back)
    if confirmed(request):
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
            messages.error(request, error.message)
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
            else inquiry_crumbs(
                inquiry,
                (f"代理入力：{answer.organization.name}" if proxy else "回答", back),
                ("提出内容の確認", None),
            ),
        },
    )


def _answer_route(request: HttpRequest, pk: int, organization_pk: int | None) -> AnswerRoute:
    """Return the answer a page is about, entered by the secretariat if it names an organization."""
    if organization_pk is None:
        return AnswerRoute(answer=get_answer_for(request.user, pk))
    return AnswerRoute(answer=get_answer_for_proxy(request.user, pk, organization_pk), proxy=True)


@require_http_methods(["GET", "POST"])
def answer_submit(
    request: HttpRequest, pk: int, organization_pk: int | None = None
) -> HttpResponse:
    """Confirm and submit the organization's saved answer (or the secretariat's 代理入力)."""
    return submit_page(request, _answer_route(request, pk, organization_pk))


@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int, organization_pk: int | None = None) -> HttpResponse:
    """The organization's shared answer form, or the secretariat's 代理入力 of it."""
    return answer_page(request, _answer_route(request, pk, organization_pk))


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
            messages.error(request, error.message)
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
            "breadcrumbs": inquiry_crumbs(inquiry, ("所属長確認", None)),
        },
    )


@require_GET
def answer_version_list(
    request: HttpRequest, pk: int, organization_pk: int | None = None
) -> HttpResponse:
    """Show every submitted version of an answer, with dates and submitters."""
    route = _answer_route(request, pk, organization_pk)
    answer = route.answer
    if route.proxy:
        # The secretariat reading another organization's answer is recorded.
        audit_record(
            action=Action.RECORD_VIEWED, actor=request.user, target=answer, request=request
        )
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
            "breadcrumbs": inquiry_crumbs(inquiry, ("提出履歴", None)),
        },
    )


@require_GET
def answer_conditions(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the markers that show or hide the conditional questions as the answers stand."""
    return conditions_page(request, get_inquiry_for(request.user, pk))


def conditions_page(request: HttpRequest, inquiry: Inquiry) -> HttpResponse:
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
    return file_download(answer_file.file, name=answer_file.name)
