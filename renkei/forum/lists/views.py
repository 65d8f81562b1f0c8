"""Pages of the group mailing lists: the lists, the archive, posting, held mail, settings."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.accounts.permissions import Capability
from renkei.core.breadcrumbs import section_crumbs
from renkei.core.errors import ServiceError
from renkei.core.refusals import refusal_on
from renkei.core.row_urls import RowUrl
from renkei.directory.models import Person
from renkei.directory.permissions import require
from renkei.forum.lists.forms import ListForm, MessageForm, ReceivingForm, SearchForm
from renkei.forum.lists.models import MessageStatus
from renkei.forum.lists.permissions import (
    can_manage,
    get_attachment_for,
    get_held_message_to_decide,
    get_list_for,
    get_list_to_manage,
    get_list_to_moderate,
    get_list_to_post_in,
    get_message_for,
    get_message_to_reply_to,
    get_thread_for,
    may_moderate,
)
from renkei.forum.lists.selectors import (
    files_load,
    held_messages,
    list_threads,
    lists_for,
    page_of_message,
    thread_messages,
)
from renkei.forum.lists.services import (
    held_approve,
    held_reject,
    list_create,
    list_update,
    mail_receiving_set,
    message_post,
    subscribers,
)

DECISIONS = {
    "approve": ("承認", "グループの全員にメールで配信され、アーカイブに掲載されます。"),
    "reject": ("却下", "配信もアーカイブへの掲載もされず、添付ファイルは削除されます。"),
}


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return section_crumbs("メーリングリスト", "lists:index", *trail)


def _list_crumb(mailing_list) -> tuple[str, str]:
    return (mailing_list.group.name, reverse("lists:archive", args=[mailing_list.pk]))


def _page(
    request: HttpRequest, template: str, *trail: tuple[str, str | None], status: int = 200, **extra
) -> HttpResponse:
    """Render a list page with the given breadcrumbs after メーリングリスト."""
    context = {
        "nav": "forum",
        "can_manage": can_manage(request.user),
        "breadcrumbs": _crumbs(*trail),
        # The fragments' row links, reversed once per page rather than once per row.
        "row_urls": {
            "message": RowUrl("lists:message"),
            "attachment": RowUrl("lists:attachment"),
            "reply": RowUrl("lists:reply"),
        },
        **extra,
    }
    return render(request, template, context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    """List the lists the user reads, with their addresses and held counts."""
    require(request.user, Capability.VIEW_FORUM)
    return _page(
        request,
        "lists/index.html",
        mailing_lists=list(lists_for(user=request.user)),
    )


@require_http_methods(["GET", "POST"])
def list_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a group's list, or change one (the secretariat)."""
    if pk is None:
        require(request.user, Capability.MODERATE_FORUM)
        mailing_list = None
    else:
        mailing_list = get_list_to_manage(request.user, pk)
    form = ListForm(request.POST or None, mailing_list=mailing_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "local_part": data["local_part"],
            "subject_prefix": data["subject_prefix"],
            "description": data["description"],
            "nonmember_policy": data["nonmember_policy"],
            "moderators": list(data["moderators"]),
            "is_active": data["is_active"],
            "by": request.user,
            "request": request,
        }
        with refusal_on(form):
            if mailing_list is None:
                mailing_list = list_create(group=data["group"], **fields)
            else:
                mailing_list = list_update(mailing_list=mailing_list, **fields)
            messages.success(request, f"メーリングリスト {mailing_list.address} を保存しました。")
            return redirect(mailing_list)
    title = "メーリングリストの作成" if mailing_list is None else "メーリングリストの設定"
    return _page(
        request,
        "lists/list_form.html",
        (title, None),
        form=form,
        title=title,
        mailing_list=mailing_list,
        status=400 if form.errors else 200,
    )


def archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a list's archive: its threads, newest activity first, filterable by subject."""
    mailing_list = get_list_for(request.user, pk)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return _page(
        request,
        "lists/archive.html",
        (mailing_list.group.name, None),
        mailing_list=mailing_list,
        form=form,
        page=list_threads(mailing_list=mailing_list, query=query, page=request.GET.get("page")),
        may_moderate=may_moderate(request.user, mailing_list),
    )


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a thread: its messages in order, replies indented under what they answer."""
    thread = get_thread_for(request.user, pk)
    mailing_list = thread.mailing_list
    page = thread_messages(thread=thread, page=request.GET.get("page"))
    return _page(
        request,
        "lists/thread.html",
        _list_crumb(mailing_list),
        (thread.subject, None),
        mailing_list=mailing_list,
        thread=thread,
        page=page,
    )


def message(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one message (its permalink), with a link to its place in the thread."""
    message = get_message_for(request.user, pk)
    mailing_list = message.mailing_list
    in_thread = None
    if message.status == MessageStatus.PUBLISHED and message.thread_id:
        page = page_of_message(message=message)
        in_thread = (
            reverse("lists:thread", args=[message.thread_id])
            + (f"?page={page}" if page > 1 else "")
            + f"#message-{message.pk}"
        )
    return _page(
        request,
        "lists/message.html",
        _list_crumb(mailing_list),
        (message.subject, None),
        mailing_list=mailing_list,
        message=message,
        message_and_files=files_load(messages=[message]),
        in_thread=in_thread,
    )


@require_http_methods(["GET", "POST"])
def post(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new thread on the web; it is mailed to every member."""
    mailing_list = get_list_to_post_in(request.user, pk)
    return _message_form(request, mailing_list=mailing_list, parent=None)


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a message on the web; it is mailed to every member and threaded."""
    parent = get_message_to_reply_to(request.user, pk)
    return _message_form(request, mailing_list=parent.mailing_list, parent=parent)


def _message_form(request: HttpRequest, *, mailing_list, parent) -> HttpResponse:
    initial = {}
    if parent is not None:
        subject = parent.subject
        initial["subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    form = MessageForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            created = message_post(
                mailing_list=mailing_list,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                parent=parent,
                by=request.user,
                request=request,
            )
            messages.success(request, "投稿しました。グループの全員にメールで配信します。")
            return redirect(created)
    title = "返信する" if parent else "新しい話題を投稿"
    return _page(
        request,
        "lists/message_form.html",
        _list_crumb(mailing_list),
        (title, None),
        form=form,
        mailing_list=mailing_list,
        parent=parent,
        parent_and_files=files_load(messages=[parent]) if parent is not None else [],
        title=title,
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def receiving(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose whether to receive the list's mail (the List-Unsubscribe page)."""
    mailing_list = get_list_for(request.user, pk)
    person = Person.objects.filter(user=request.user).first()
    member = None
    if person is not None:
        member = next(
            (s for s in subscribers(mailing_list=mailing_list) if s.person_id == person.pk), None
        )
    form = ReceivingForm(
        request.POST or None, initial={"receiving": "1" if member and member.receives else "0"}
    )
    if request.method == "POST":
        if member is None:
            raise Http404
        if form.is_valid():
            mail_receiving_set(
                mailing_list=mailing_list,
                person=person,
                receiving=form.cleaned_data["receiving"],
                request=request,
            )
            messages.success(request, "メールの受け取りを変更しました。")
            return redirect("lists:receiving", pk=mailing_list.pk)
    return _page(
        request,
        "lists/receiving.html",
        _list_crumb(mailing_list),
        ("メールの受け取り", None),
        form=form,
        mailing_list=mailing_list,
        member=member,
        status=400 if form.errors else 200,
    )


def held(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the messages held for a moderator (mail from non-members)."""
    mailing_list = get_list_to_moderate(request.user, pk)
    return _page(
        request,
        "lists/held.html",
        _list_crumb(mailing_list),
        ("承認待ちのメール", None),
        mailing_list=mailing_list,
        held=list(held_messages(mailing_list=mailing_list)),
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve or reject a held message, after a confirmation page naming the consequence."""
    if action not in DECISIONS:
        raise Http404
    message = get_held_message_to_decide(request.user, pk)
    mailing_list = message.mailing_list
    label, consequence = DECISIONS[action]
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        decision = held_approve if action == "approve" else held_reject
        try:
            decision(message=message, by=request.user, request=request)
        except ServiceError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"「{message.subject}」を{label}しました。")
            return redirect("lists:held", pk=mailing_list.pk)
    return _page(
        request,
        "lists/decide.html",
        _list_crumb(mailing_list),
        ("承認待ちのメール", reverse("lists:held", args=[mailing_list.pk])),
        (f"{label}の確認", None),
        mailing_list=mailing_list,
        message=message,
        attachments=list(message.attachments.all()),
        label=label,
        consequence=consequence,
        error=error,
        status=400 if error else 200,
    )


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a message's attachment after the permission check."""
    attachment = get_attachment_for(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
