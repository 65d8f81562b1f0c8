"""Answer links: revoking and reissuing them, and answering through one without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core.markdown import markdown_html
from renkei.core.refusals import refusal_flashed
from renkei.directory.models import Organization
from renkei.inquiries import services
from renkei.inquiries.forms.answering import AnswerLinkStartForm
from renkei.inquiries.models import AnswerLink
from renkei.inquiries.permissions import (
    get_answer_for_link,
    get_inquiry_for_secretariat,
)
from renkei.inquiries.services.errors import AnswerLinkError, InquiryError
from renkei.inquiries.views.answering import (
    AnswerRoute,
    answer_page,
    conditions_page,
    submit_page,
)
from renkei.inquiries.views.common import confirm_page

# The session key of an answer link's narrow session: {"link", "nonce", "respondent"}.
ANSWER_LINK_SESSION = "answer_link"


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
        return confirm_page(
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
        return confirm_page(
            request,
            inquiry,
            heading="回答用リンクの再発行",
            message=f"{organization.name}に新しい回答用リンクを発行し、連絡窓口と共有メールアドレスへ"
            "送信します。以前のリンクは使えなくなります。",
            button="再発行して送信する",
            danger=False,
        )
    with refusal_flashed(request):
        count = services.answer_link_reissue(
            inquiry=inquiry, organization=organization, by=request.user, request=request
        )
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


def _link_route(request: HttpRequest) -> AnswerRoute:
    """Return the answer this browser's answer-link session reaches, or refuse."""
    link, respondent = _link_session(request)
    return AnswerRoute(answer=get_answer_for_link(link), link=link, respondent=respondent)


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_link_answer(request: HttpRequest) -> HttpResponse:
    """The answer form of the one inquiry and organization this session's link names."""
    return answer_page(request, _link_route(request))


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_link_submit(request: HttpRequest) -> HttpResponse:
    """Confirm and submit the answer of this session's answer link (確認画面)."""
    return submit_page(request, _link_route(request))


@login_not_required
@require_GET
def answer_link_conditions(request: HttpRequest) -> HttpResponse:
    """Hide the questions whose condition the typed answers do not meet (answer-link form)."""
    link, _ = _link_session(request)
    return conditions_page(request, link.inquiry)


@login_not_required
@require_POST
def answer_link_end(request: HttpRequest) -> HttpResponse:
    """End the answer-link session on this browser."""
    request.session.pop(ANSWER_LINK_SESSION, None)
    return render(request, "inquiries/answer_link_refused.html", {"ended": True})
