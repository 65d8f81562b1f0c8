"""Pages of the e-conference room (電子会議室)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renkei.accounts.permissions import Capability
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.core.row_urls import RowUrl
from renkei.directory.permissions import require
from renkei.forum.forms import (
    BoardForm,
    EditForm,
    HideForm,
    MoveForm,
    PostForm,
    PreferenceForm,
    ReportForm,
    ResolveForm,
    SearchForm,
    ThreadFilterForm,
    ThreadForm,
)
from renkei.forum.models import Board, Post, Thread
from renkei.forum.permissions import (
    can_moderate,
    can_post,
    get_attachment_for,
    get_board_for,
    get_board_to_manage,
    get_board_to_post_in,
    get_post_for,
    get_post_to_edit_for,
    get_post_to_moderate,
    get_post_to_report,
    get_report_to_resolve,
    get_thread_for,
    get_thread_to_moderate,
    get_thread_to_post_in,
    require_moderator,
    visible_boards,
)
from renkei.forum.selectors import (
    SEARCH_EXCERPT_LENGTH,
    board_counts,
    board_threads,
    delivery_of,
    follow_state,
    follows_board,
    forum_search,
    last_read_number,
    my_threads,
    open_reports,
    page_of,
    room_totals,
    thread_posts,
)
from renkei.forum.services import (
    THREAD_ACTIONS,
    abuse_report_create,
    abuse_report_resolve,
    board_create,
    board_update,
    follow_set,
    post_create,
    post_edit,
    post_hide,
    preference_set,
    quote_text,
    read_mark,
    thread_create,
    thread_moderate,
    thread_move,
)

# Thread actions that members notice at once and that are confirmed on their own page.
CONFIRMED_ACTIONS = {
    "lock": "ロックすると、事務局以外は返信も編集もできなくなります。",
    "hide": "非表示にすると、事務局以外はスレッドを開けなくなり、一覧・検索・通知からも消えます。",
}


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), ("電子会議室", reverse("forum:index")), *trail]


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "nav": "forum",
        "can_post": can_post(request.user),
        "can_moderate": can_moderate(request.user),
        # The fragments' row links, reversed once per page rather than once per row.
        "row_urls": {
            "thread": RowUrl("forum:thread"),
            "post": RowUrl("forum:post"),
            "attachment": RowUrl("forum:attachment"),
        },
        **extra,
    }


def _page(
    request: HttpRequest,
    template: str,
    trail: list[tuple[str, str | None]],
    *,
    status: int = 200,
    **extra,
) -> HttpResponse:
    """Render a forum page with the given breadcrumbs after 電子会議室."""
    return render(
        request, template, _context(request, breadcrumbs=_crumbs(*trail), **extra), status=status
    )


def _form_page(
    request: HttpRequest,
    template: str,
    trail: list[tuple[str, str | None]],
    *,
    form: forms.BaseForm,
    **extra,
) -> HttpResponse:
    """Render a forum page that holds a form: 400 when the form has errors."""
    return _page(request, template, trail, form=form, status=400 if form.errors else 200, **extra)


def _post_page(
    request: HttpRequest, template: str, label: str, *, post: Post, **extra
) -> HttpResponse:
    """Render a page about one post under its thread (400 when its form has errors)."""
    trail = [(post.thread.title, reverse("forum:thread", args=[post.thread_id])), (label, None)]
    if "form" in extra:
        return _form_page(request, template, trail, post=post, **extra)
    return _page(request, template, trail, post=post, **extra)


def index(request: HttpRequest) -> HttpResponse:
    """List the boards the user may read with their post counts, and the search box."""
    require(request.user, Capability.VIEW_FORUM)
    counts = board_counts(user=request.user)
    this_year, total = room_totals(counts=counts)
    return render(
        request,
        "forum/index.html",
        _context(
            request,
            breadcrumbs=[("ホーム", reverse("home")), ("電子会議室", None)],
            counts=counts,
            posts_this_year=this_year,
            posts_total=total,
            search_form=SearchForm(boards=visible_boards(request.user)),
        ),
    )


def search(request: HttpRequest) -> HttpResponse:
    """Search the titles and texts of the boards the user may read."""
    require(request.user, Capability.VIEW_FORUM)
    form = SearchForm(request.GET or None, boards=visible_boards(request.user))
    results = None
    query = ""
    if form.is_valid():
        results = forum_search(
            user=request.user,
            query=form.cleaned_data["q"],
            board=form.cleaned_data["board"],
            page=request.GET.get("page"),
        )
        query = urlencode(
            {
                k: v
                for k, v in (("q", form.cleaned_data["q"]), ("board", request.GET.get("board", "")))
                if v
            }
        )
    return _page(
        request,
        "forum/search.html",
        [("検索", None)],
        form=form,
        page=results,
        query=query,
        excerpt_length=SEARCH_EXCERPT_LENGTH,
    )


def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a board's threads, pinned first, filtered by title or unread."""
    board = get_board_for(request.user, pk)
    form = ThreadFilterForm(request.GET or None)
    query, unread_only = "", False
    if form.is_valid():
        query, unread_only = form.cleaned_data["q"], form.cleaned_data["unread"]
    page = board_threads(
        board=board,
        user=request.user,
        query=query,
        unread_only=unread_only,
        page=request.GET.get("page"),
    )
    return _page(
        request,
        "forum/board.html",
        [(board.name, None)],
        board=board,
        page=page,
        form=form,
        query=urlencode(
            {k: v for k, v in (("q", query), ("unread", "on" if unread_only else "")) if v}
        ),
        following=follows_board(user=request.user, board=board),
    )


@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, board_pk: int) -> HttpResponse:
    """Start a thread on a board."""
    board = get_board_to_post_in(request.user, board_pk)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            thread = thread_create(
                board=board,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                by=request.user,
                request=request,
            )
            messages.success(request, "スレッドを作成しました。")
            return redirect(thread)
    return _form_page(
        request,
        "forum/thread_form.html",
        [(board.name, reverse("forum:board", args=[board.pk])), ("新しいスレッド", None)],
        board=board,
        form=form,
    )


def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a page of a thread's posts and mark them read for the user."""
    thread = get_thread_for(request.user, pk)
    page = thread_posts(thread=thread, page=request.GET.get("page"))
    posts = list(page.object_list)
    last_read = last_read_number(user=request.user, thread=thread)
    if posts and posts[-1].number > last_read:
        # The reader's own bookkeeping, like the session: the one write a GET makes here.
        read_mark(user=request.user, thread=thread, number=posts[-1].number)
    following_thread, following_board = follow_state(user=request.user, thread=thread)
    may_reply = can_post(request.user) and (not thread.is_locked or can_moderate(request.user))
    return _page(
        request,
        "forum/thread.html",
        [(thread.board.name, reverse("forum:board", args=[thread.board_id])), (thread.title, None)],
        thread=thread,
        page=page,
        posts=posts,
        last_read=last_read,
        user_id=request.user.pk,
        following_thread=following_thread,
        following_board=following_board,
        may_reply=may_reply,
        reply_form=PostForm(),
        reply_url=reverse("forum:reply", args=[thread.pk]),
        subject=thread.subject if thread.subject_type_id else None,
    )


def post(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a post's permalink to its place in the thread."""
    post = get_post_for(request.user, pk)
    url = reverse("forum:thread", args=[post.thread_id])
    return redirect(f"{url}?page={page_of(number=post.number)}#post-{post.number}")


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply to a thread, optionally quoting one of its posts (?quote=<post id>)."""
    thread = get_thread_to_post_in(request.user, pk)
    reply_to = None
    reply_id = request.POST.get("reply_to") or request.GET.get("quote")
    if reply_id and str(reply_id).isdigit():
        candidate = get_post_for(request.user, int(reply_id))
        if candidate.thread_id == thread.pk:
            reply_to = candidate
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES)
        if form.is_valid():
            with refusal_on(form):
                new = post_create(
                    thread=thread,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["files"],
                    reply_to=reply_to,
                    by=request.user,
                    request=request,
                )
                messages.success(request, f"#{new.number} を投稿しました。")
                return redirect(new)
    else:
        initial = {"body": quote_text(post=reply_to)} if reply_to and not reply_to.is_hidden else {}
        form = PostForm(initial=initial)
    return _form_page(
        request,
        "forum/reply.html",
        [
            (thread.board.name, reverse("forum:board", args=[thread.board_id])),
            (thread.title, reverse("forum:thread", args=[thread.pk])),
            ("返信", None),
        ],
        thread=thread,
        reply_to=reply_to,
        form=form,
    )


@require_http_methods(["GET", "POST"])
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one's post; the previous text is kept in its history."""
    post = get_post_to_edit_for(request.user, pk)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            post_edit(post=post, body=form.cleaned_data["body"], by=request.user, request=request)
            messages.success(request, f"#{post.number} を編集しました。")
            return redirect(post)
    return _post_page(
        request, "forum/post_edit.html", f"#{post.number} の編集", post=post, form=form
    )


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a post's earlier texts."""
    post = get_post_for(request.user, pk)
    if post.is_hidden and not can_moderate(request.user):
        revisions = []
    else:
        revisions = list(post.revisions.select_related("edited_by"))
    return _post_page(
        request,
        "forum/post_history.html",
        f"#{post.number} の編集履歴",
        post=post,
        revisions=revisions,
    )


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Stream an attachment after the permission check."""
    attachment = get_attachment_for(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _follow(
    request: HttpRequest, *, thread: Thread | None = None, board: Board | None = None
) -> HttpResponse:
    """Follow or stop following the thread or board as the POST says, and go back to it."""
    following = request.POST.get("follow") == "1"
    follow_set(user=request.user, thread=thread, board=board, following=following)
    noun = "スレッド" if thread is not None else "会議室"
    messages.success(
        request, f"{noun}をフォローしました。" if following else "フォローをやめました。"
    )
    return redirect(thread or board)


@require_POST
def follow_thread(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following a thread."""
    return _follow(request, thread=get_thread_for(request.user, pk))


@require_POST
def follow_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following a whole board."""
    return _follow(request, board=get_board_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose mail per post, a daily digest, or none."""
    require(request.user, Capability.VIEW_FORUM)
    form = PreferenceForm(
        request.POST or None, initial={"delivery": delivery_of(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, delivery=form.cleaned_data["delivery"], request=request)
        messages.success(request, "通知の受け取り方を保存しました。")
        return redirect("forum:preferences")
    return _form_page(
        request,
        "forum/preferences.html",
        [("通知の設定", None)],
        form=form,
    )


def mine(request: HttpRequest) -> HttpResponse:
    """List the threads the user started, posted in or follows."""
    require(request.user, Capability.VIEW_FORUM)
    page = my_threads(user=request.user, page=request.GET.get("page"))
    return _page(
        request,
        "forum/mine.html",
        [("自分のスレッド", None)],
        page=page,
    )


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a post to the secretariat."""
    post = get_post_to_report(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            abuse_report_create(
                post=post, reason=form.cleaned_data["reason"], by=request.user, request=request
            )
            messages.success(request, "事務局に報告しました。ご協力ありがとうございます。")
            return redirect(post)
    return _post_page(request, "forum/report.html", "不適切な投稿の報告", post=post, form=form)


# --- moderation -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def thread_moderate_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Lock, pin, hide (or undo) a thread; lock and hide are confirmed first."""
    thread = get_thread_to_moderate(request.user, pk)
    if action not in THREAD_ACTIONS:
        return redirect(thread)
    needs_confirm = action in CONFIRMED_ACTIONS
    if request.method == "POST" and (not needs_confirm or request.POST.get("confirm") == "1"):
        with refusal_flashed(request):
            done = thread_moderate(
                thread=thread,
                action=action,
                reason=request.POST.get("reason", "")[:200],
                by=request.user,
                request=request,
            )
            messages.success(request, f"スレッドを{done}。")
        return redirect(thread)
    if not needs_confirm:
        return redirect(thread)
    return _page(
        request,
        "forum/moderate_confirm.html",
        [(thread.title, reverse("forum:thread", args=[thread.pk])), ("確認", None)],
        thread=thread,
        action=action,
        label=THREAD_ACTIONS[action][2].removesuffix("しました"),
        consequence=CONFIRMED_ACTIONS[action],
    )


@require_http_methods(["GET", "POST"])
def thread_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a thread to another board, after a confirmation."""
    thread = get_thread_to_moderate(request.user, pk)
    form = MoveForm(request.POST or None, current=thread.board)
    if request.method == "POST" and form.is_valid():
        target: Board = form.cleaned_data["board"]
        if request.POST.get("confirm") == "1":
            with refusal_on(form):
                thread_move(thread=thread, board=target, by=request.user, request=request)
                messages.success(request, f"スレッドを「{target.name}」に移動しました。")
                return redirect(thread)
        else:
            return _page(
                request,
                "forum/move_confirm.html",
                [(thread.title, reverse("forum:thread", args=[thread.pk])), ("移動の確認", None)],
                thread=thread,
                target=target,
            )
    return _form_page(
        request,
        "forum/move.html",
        [(thread.title, reverse("forum:thread", args=[thread.pk])), ("スレッドの移動", None)],
        thread=thread,
        form=form,
    )


@require_http_methods(["GET", "POST"])
def post_hide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a post (asking the reason that replaces it) or show it again."""
    post = get_post_to_moderate(request.user, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST":
        if post.is_hidden:
            with refusal_flashed(request):
                post_hide(post=post, hide=False, reason="", by=request.user, request=request)
                messages.success(request, f"#{post.number} を再表示しました。")
            return redirect(post)
        if form.is_valid():
            with refusal_on(form):
                post_hide(
                    post=post,
                    hide=True,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    request=request,
                )
                messages.success(request, f"#{post.number} を非表示にしました。")
                return redirect(post)
    return _post_page(request, "forum/post_hide.html", "投稿の非表示", post=post, form=form)


def reports(request: HttpRequest) -> HttpResponse:
    """List the abuse reports waiting for the secretariat."""
    require_moderator(request.user)
    return _page(
        request,
        "forum/reports.html",
        [("不適切な投稿の報告", None)],
        page=open_reports(page=request.GET.get("page")),
        form=ResolveForm(),
    )


@require_POST
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an abuse report with what was done."""
    report = get_report_to_resolve(request.user, pk)
    form = ResolveForm(request.POST)
    resolution = form.cleaned_data["resolution"] if form.is_valid() else ""
    with refusal_flashed(request):
        abuse_report_resolve(report=report, resolution=resolution, by=request.user, request=request)
        messages.success(request, "報告を対応済みにしました。")
    return redirect("forum:reports")


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Set up a board or change one (the secretariat)."""
    board = get_board_to_manage(request.user, pk) if pk else None
    if board is None:
        require_moderator(request.user)
    form = BoardForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if board is None:
            board = board_create(
                name=data["name"],
                description=data["description"],
                group=data["group"],
                position=data["position"],
                by=request.user,
                request=request,
            )
            messages.success(request, "会議室を作成しました。")
        else:
            board_update(
                board=Board.objects.get(pk=board.pk),
                name=data["name"],
                description=data["description"],
                group=data["group"],
                position=data["position"],
                is_active=data["is_active"],
                by=request.user,
                request=request,
            )
            messages.success(request, "会議室を保存しました。")
        return redirect(board)
    return _form_page(
        request,
        "forum/board_form.html",
        [("会議室の作成" if board is None else f"{board.name}の設定", None)],
        board=board,
        form=form,
    )
