"""Pages of the poll corner (調査コーナー)."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renkei.core.forms import service_error_add
from renkei.core.refusals import refusal_flashed, refusal_on
from renkei.polls.charts import results_chart
from renkei.polls.forms import FiscalYearForm, PollForm, RejectForm, VoteForm
from renkei.polls.models import Poll
from renkei.polls.permissions import (
    can_manage_polls,
    can_request_polls,
    can_see_results,
    can_vote,
    get_poll_for,
    get_poll_to_manage_for,
    get_poll_to_vote_for,
    require_poll_manager,
    require_poll_requester,
)
from renkei.polls.selectors import (
    poll_corner,
    poll_requests_pending,
    poll_requests_reviewed,
    poll_results,
    poll_years,
    vote_counting_for,
)
from renkei.polls.services import (
    PollError,
    poll_approve,
    poll_close,
    poll_create,
    poll_reject,
    poll_request,
    poll_update,
    vote_cast,
    vote_change,
)


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("ホーム", reverse("home")), ("調査コーナー", reverse("polls:index")), *trail]


def index(request: HttpRequest) -> HttpResponse:
    """Show current, upcoming and past polls, and how many ran this fiscal year."""
    years = poll_years()
    filter_form = FiscalYearForm(
        request.GET or None,
        years=years.fiscal_years,
        initial={"year": years.fiscal_years[0]},  # this fiscal year, as poll_corner's default
    )
    year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
    corner = poll_corner(user=request.user, fiscal_year=year, years=years)
    return render(
        request,
        "polls/index.html",
        {
            "nav": "polls",
            "breadcrumbs": [("ホーム", reverse("home")), ("調査コーナー", None)],
            "corner": corner,
            "closed_results": [corner.results[poll.pk] for poll in corner.closed_polls],
            "filter_form": filter_form,
            "can_request": can_request_polls(request.user),
            "can_manage": can_manage_polls(request.user),
        },
    )


def _detail(
    request: HttpRequest,
    poll: Poll,
    *,
    vote_form: VoteForm | None = None,
    change_form: VoteForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    choices = list(poll.choices.all())
    vote = vote_counting_for(poll=poll, user=user)
    voting_allowed = can_vote(user) and poll.is_open and vote is None
    if voting_allowed and vote_form is None:
        vote_form = VoteForm(poll=poll, choices=choices)
    # Until the poll ends, the ballot that counts (an organization's, in 1団体1票) can change.
    changing_allowed = can_vote(user) and poll.is_open and vote is not None
    if changing_allowed and change_form is None:
        marked = [str(choice.pk) for choice in vote.choices.all()]
        change_form = VoteForm(
            poll=poll,
            choices=choices,
            initial={"choices": marked if poll.multiple_choice else (marked or [None])[0]},
        )
    show_results = can_see_results(user, poll, has_voted=vote is not None)
    results = poll_results(polls=[poll])[poll.pk] if show_results else None
    manage = can_manage_polls(user)
    if manage and reject_form is None:
        reject_form = RejectForm()
    return render(
        request,
        "polls/detail.html",
        {
            "nav": "polls",
            "breadcrumbs": _crumbs((poll.question, None)),
            "poll": poll,
            "choices": choices,
            "vote": vote,
            "vote_form": vote_form if voting_allowed else None,
            "change_form": change_form if changing_allowed else None,
            "may_vote_by_role": can_vote(user),
            "results": results,
            "chart": results_chart(results) if results else None,
            "can_manage": manage,
            "reject_form": reject_form,
        },
        status=status,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a poll with its ballot form, or its results when the user may see them."""
    poll = get_poll_for(request.user, pk)
    return _detail(request, poll)


def _ballot(
    request: HttpRequest, pk: int, *, record: Callable[..., Any], done: str, form_name: str
) -> HttpResponse:
    """Cast or change a ballot with `record`; show the form again with errors it names."""
    poll = get_poll_to_vote_for(request.user, pk)
    form = VoteForm(request.POST, poll=poll, choices=list(poll.choices.all()))
    if form.is_valid():
        try:
            record(poll=poll, voter=request.user, choice_ids=form.choice_ids())
        except PollError as error:
            if error.field is None:
                messages.error(request, error.message)
                return redirect("polls:detail", pk=poll.pk)
            service_error_add(form, error)
        else:
            messages.success(request, done)
            return redirect("polls:detail", pk=poll.pk)
    return _detail(request, poll, **{form_name: form})


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the user's ballot."""
    return _ballot(
        request, pk, record=vote_cast, done="投票を受け付けました。", form_name="vote_form"
    )


@require_POST
def vote_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the ballot that counts for the user (their organization's in 1団体1票)."""
    return _ballot(
        request, pk, record=vote_change, done="投票を変更しました。", form_name="change_form"
    )


# Each poll form page's title and button, and the message once its draft is saved.
POLL_FORM_TEXTS = {
    "request": (
        "調査依頼",
        "依頼を送る",
        "調査依頼を受け付けました。事務局の承認後、調査期間に実施されます。",
    ),
    "create": ("調査を作成", "作成する", "調査を作成しました。"),
    "edit": ("調査を編集", "保存する", "調査を更新しました。"),
}


def _poll_form_page(
    request: HttpRequest, page: str, *, save: Callable[..., Poll], poll: Poll | None = None
) -> HttpResponse:
    """Show the poll form (filled in from `poll` if given); `save` a valid draft and go to it."""
    title, submit, done = POLL_FORM_TEXTS[page]
    form = PollForm(request.POST or None, initial=PollForm.initial_for(poll) if poll else None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            saved = save(draft=form.to_draft())
            messages.success(request, done)
            return redirect("polls:detail", pk=saved.pk)
    trail = [(poll.question, reverse("polls:detail", args=[poll.pk]))] if poll else []
    return render(
        request,
        "polls/poll_form.html",
        {
            "nav": "polls",
            "breadcrumbs": _crumbs(*trail, (title, None)),
            "form": form,
            "title": title,
            "submit": submit,
            "poll": poll,
            "is_request": page == "request",
        },
    )


def request_poll(request: HttpRequest) -> HttpResponse:
    """Let a member ask the secretariat to run a poll (調査依頼)."""
    require_poll_requester(request.user)
    return _poll_form_page(request, "request", save=partial(poll_request, by=request.user))


def create(request: HttpRequest) -> HttpResponse:
    """Let the secretariat create a poll that runs without review."""
    require_poll_manager(request.user)
    return _poll_form_page(request, "create", save=partial(poll_create, by=request.user))


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Let the secretariat change a poll before it starts."""
    poll = get_poll_to_manage_for(request.user, pk)
    if not poll.is_editable:
        messages.error(request, "開始後または却下済みの調査は編集できません。")
        return redirect("polls:detail", pk=poll.pk)
    save = partial(poll_update, poll=poll, by=request.user)
    return _poll_form_page(request, "edit", save=save, poll=poll)


def queue(request: HttpRequest) -> HttpResponse:
    """List the 調査依頼 waiting for the secretariat and the latest decisions."""
    require_poll_manager(request.user)
    return render(
        request,
        "polls/queue.html",
        {
            "nav": "polls",
            "breadcrumbs": _crumbs(("調査依頼の審査", None)),
            "pending": list(poll_requests_pending()),
            "reviewed": list(poll_requests_reviewed()),
        },
    )


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a 調査依頼."""
    poll = get_poll_to_manage_for(request.user, pk)
    try:
        poll_approve(poll=poll, by=request.user)
    except PollError as error:
        messages.error(request, error.message)
        return redirect("polls:detail", pk=poll.pk)
    messages.success(request, f"「{poll.question}」を承認しました。")
    return redirect("polls:queue")


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a 調査依頼 with a reason."""
    poll = get_poll_to_manage_for(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            poll_reject(poll=poll, by=request.user, reason=form.cleaned_data["reason"])
        except PollError as error:
            if error.field is not None:
                service_error_add(form, error)
                return _detail(request, poll, reject_form=form)
            messages.error(request, error.message)
            return redirect("polls:detail", pk=poll.pk)
        messages.success(request, f"「{poll.question}」を却下しました。")
        return redirect("polls:queue")
    return _detail(request, poll, reject_form=form)


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a running poll early, after a page that says what closing does."""
    poll = get_poll_to_manage_for(request.user, pk)
    if not (request.method == "POST" and request.POST.get("confirm") == "yes"):
        ballots = poll_results(polls=[poll])[poll.pk].total
        return render(
            request,
            "polls/close_confirm.html",
            {
                "nav": "polls",
                "breadcrumbs": _crumbs(
                    (poll.question, reverse("polls:detail", args=[poll.pk])), ("締切", None)
                ),
                "poll": poll,
                "ballots": ballots,
            },
        )
    with refusal_flashed(request):
        poll_close(poll=poll, by=request.user)
        messages.success(request, "調査を締め切りました。")
    return redirect("polls:detail", pk=poll.pk)
