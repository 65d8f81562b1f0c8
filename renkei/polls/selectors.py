"""Reading polls: the corner page, results, votes and the secretariat's queue."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Min, Q, QuerySet, Value, When

from renkei.accounts.models import User
from renkei.core.fiscal_year import fiscal_year_of, fiscal_year_range
from renkei.core.numbers import format_percent, format_share
from renkei.directory.models import MEMBER_CATEGORIES
from renkei.directory.permissions import organization_id_of
from renkei.directory.selectors import member_counts_on
from renkei.polls.models import (
    Choice,
    Poll,
    PollStatus,
    Vote,
    VoteScope,
    poll_today,
    voter_key,
)
from renkei.polls.permissions import can_manage_polls, visible_polls

OWN_REQUESTS_SHOWN = 20
REVIEWED_REQUESTS_SHOWN = 20


@dataclass(frozen=True)
class ChoiceResult:
    """How many ballots marked one choice; a ballot is an organization's in 1団体1票."""

    choice: Choice
    count: int
    total: int
    unit: str = "票"

    @property
    def percent_text(self) -> str:
        """Return the share of ballots with one decimal, rounded half up ("41.7%"; "－" if none)."""
        return format_percent(self.count, self.total)

    @property
    def count_text(self) -> str:
        """Return the count with its unit: 「1,234票」 or 「12団体」."""
        return f"{self.count:,}{self.unit}"

    @property
    def summary(self) -> str:
        """Describe the count the way reports do: 「12票中5票（41.7%）」, 「45団体中12団体（26.7%）」."""
        return format_share(self.count, self.total, unit=self.unit)


@dataclass(frozen=True)
class PollResults:
    """The counts of one poll; with multiple choice the shares may add up past 100%.

    In a 1団体1票 poll each ballot is an organization's, and `organizations` is how many
    member organizations could vote, so the council can report turnout (投票率).
    """

    poll: Poll
    total: int
    rows: list[ChoiceResult]
    organizations: int | None = None

    @property
    def unit(self) -> str:
        """Return what a ballot counts: 「団体」 or 「票」."""
        return "団体" if self.organizations is not None else "票"

    @property
    def total_text(self) -> str:
        """Return the number of ballots with its unit: 「45団体」 or 「1,234票」."""
        return f"{self.total:,}{self.unit}"

    @property
    def turnout(self) -> str:
        """Describe turnout the way the council reports it: 「1,322団体中45団体（3.4%）」."""
        if self.organizations is None:
            return ""
        return format_share(self.total, self.organizations)


def poll_results(*, polls: Sequence[Poll]) -> dict[int, PollResults]:
    """Return the results of each poll in three queries however many polls there are."""
    ids = [poll.pk for poll in polls]
    if not ids:
        return {}
    choices_by_poll: dict[int, list[Choice]] = defaultdict(list)
    marks: dict[int, int] = {}
    # Each choice with how many ballots marked it, in the same query.
    for choice in (
        Choice.objects.filter(poll_id__in=ids)
        .annotate(marked=Count("marks"))
        .order_by("poll_id", "position")
    ):
        choices_by_poll[choice.poll_id].append(choice)
        marks[choice.pk] = choice.marked
    ballots = dict(
        Vote.objects.filter(poll_id__in=ids)
        .values("poll_id")
        .annotate(n=Count("id"))
        .values_list("poll_id", "n")
    )
    today = poll_today()
    # Turnout is measured against the members on the poll's last day (today while it runs).
    counted_on = {poll.pk: min(poll.end_date, today) for poll in polls if poll.is_per_organization}
    members = member_counts_on(dates=counted_on.values(), categories=MEMBER_CATEGORIES)
    results = {}
    for poll in polls:
        total = ballots.get(poll.pk, 0)
        unit = "団体" if poll.is_per_organization else "票"
        rows = [
            ChoiceResult(choice=choice, count=marks.get(choice.pk, 0), total=total, unit=unit)
            for choice in choices_by_poll[poll.pk]
        ]
        organizations = members[counted_on[poll.pk]] if poll.pk in counted_on else None
        results[poll.pk] = PollResults(
            poll=poll, total=total, rows=rows, organizations=organizations
        )
    return results


def _voter_keys(user: User) -> list[str]:
    organization_id = organization_id_of(user)
    keys = [voter_key(scope=VoteScope.PERSON, user_id=user.pk, organization_id=organization_id)]
    org_key = voter_key(
        scope=VoteScope.ORGANIZATION, user_id=user.pk, organization_id=organization_id
    )
    if org_key is not None:
        keys.append(org_key)
    return [key for key in keys if key is not None]


def vote_counting_for(*, poll: Poll, user: User) -> Vote | None:
    """Return the ballot that counts for the user: their own, or their organization's."""
    if not user.is_authenticated:
        return None
    key = voter_key(
        scope=poll.vote_scope, user_id=user.pk, organization_id=organization_id_of(user)
    )
    if key is None:
        return None
    return (
        Vote.objects.select_related("voter", "organization")
        .prefetch_related("choices")
        .filter(poll=poll, voter_key=key)
        .first()
    )


def voted_poll_ids(*, user: User, polls: Iterable[Poll]) -> set[int]:
    """Return which of the polls already have the user's (or their organization's) ballot."""
    ids = [poll.pk for poll in polls]
    if not ids or not user.is_authenticated:
        return set()
    # A poll's ballots all use one kind of key, so matching either of the user's keys
    # finds exactly the ballot that counts for them.
    return set(
        Vote.objects.filter(poll_id__in=ids, voter_key__in=_voter_keys(user)).values_list(
            "poll_id", flat=True
        )
    )


def _approved() -> Q:
    return Q(status=PollStatus.APPROVED)


def _open(today: date) -> Q:
    return _approved() & Q(start_date__lte=today, end_date__gte=today, closed_early_at__isnull=True)


def _upcoming(today: date) -> Q:
    return _approved() & Q(start_date__gt=today, closed_early_at__isnull=True)


def _closed(today: date) -> Q:
    return _approved() & (Q(end_date__lt=today) | Q(closed_early_at__isnull=False))


def polls_open(*, polls: QuerySet[Poll], today: date) -> QuerySet[Poll]:
    """Return the polls accepting votes today."""
    return polls.filter(_open(today))


def polls_upcoming(*, polls: QuerySet[Poll], today: date) -> QuerySet[Poll]:
    """Return the approved polls that have not started yet."""
    return polls.filter(_upcoming(today))


def polls_closed(*, polls: QuerySet[Poll], today: date) -> QuerySet[Poll]:
    """Return the approved polls whose period is over or that were closed early."""
    return polls.filter(_closed(today))


def polls_run_in_fiscal_year(*, year: int, today: date | None = None) -> int:
    """Count the approved polls that started in the fiscal year, up to today."""
    today = today or poll_today()
    first, last = fiscal_year_range(year)
    return Poll.objects.filter(
        _approved(), start_date__gte=first, start_date__lte=min(last, today)
    ).count()


@dataclass(frozen=True)
class PollYears:
    """The fiscal years the poll corner offers, and how many polls ran in the current one."""

    today: date
    fiscal_years: list[int]  # from the current fiscal year back to the first poll's
    run_this_year: int  # polls_run_in_fiscal_year of the current fiscal year


def poll_years(*, today: date | None = None) -> PollYears:
    """Return the fiscal years from the first poll's to this one and this year's count.

    One query for both: the corner needs the years before it knows which one is asked for.
    """
    today = today or poll_today()
    current = fiscal_year_of(today)
    start, end = fiscal_year_range(current)
    figures = Poll.objects.filter(_approved()).aggregate(
        first=Min("start_date"),
        run=Count("pk", filter=Q(start_date__gte=start, start_date__lte=min(end, today))),
    )
    first = min(fiscal_year_of(figures["first"]), current) if figures["first"] else current
    return PollYears(
        today=today,
        fiscal_years=list(range(current, first - 1, -1)),
        run_this_year=figures["run"],
    )


def poll_fiscal_years(*, today: date | None = None) -> list[int]:
    """Return the fiscal years from the first poll's to this one, latest first."""
    return poll_years(today=today).fiscal_years


@dataclass
class PollCorner:
    """Everything the poll corner page shows to one user."""

    today: date
    fiscal_year: int
    current_fiscal_year: int
    fiscal_years: list[int]
    run_this_year: int
    run_in_fiscal_year: int
    open_polls: list[Poll]
    upcoming_polls: list[Poll]
    closed_polls: list[Poll]
    results: dict[int, PollResults]
    voted_ids: set[int]
    own_requests: list[Poll] = field(default_factory=list)
    pending_request_count: int | None = None


def poll_corner(
    *, user: User, fiscal_year: int | None = None, years: PollYears | None = None
) -> PollCorner:
    """Gather the poll corner for a user, in a fixed number of queries.

    `years` is poll_years() when the caller has read it already (for the year filter).
    """
    years = years or poll_years()
    today = years.today
    current_year = fiscal_year_of(today)
    year = fiscal_year if fiscal_year is not None else current_year
    first, last = fiscal_year_range(year)
    # The three lists in one query, each poll marked with the list it belongs to.
    in_year = Q(start_date__gte=first, start_date__lte=last)
    sections: dict[str, list[Poll]] = defaultdict(list)
    for poll in (
        visible_polls(user)
        .select_related("requesting_organization")
        .filter(_open(today) | _upcoming(today) | (_closed(today) & in_year))
        .annotate(
            section=Case(
                When(_open(today), then=Value("open")),
                When(_upcoming(today), then=Value("upcoming")),
                default=Value("closed"),
            )
        )
    ):
        sections[poll.section].append(poll)
    open_polls = sorted(sections["open"], key=lambda poll: (poll.end_date, poll.pk))
    upcoming = sorted(sections["upcoming"], key=lambda poll: (poll.start_date, poll.pk))
    closed = sorted(sections["closed"], key=lambda poll: (poll.start_date, poll.pk), reverse=True)
    organization_id = organization_id_of(user)
    own_requests: list[Poll] = []
    if organization_id is not None and not can_manage_polls(user):
        own_requests = list(
            Poll.objects.filter(requesting_organization_id=organization_id)
            .exclude(status=PollStatus.APPROVED, end_date__lt=today)
            .select_related("requesting_organization")
            .order_by("-created_at", "-id")[:OWN_REQUESTS_SHOWN]
        )
    run_this_year = years.run_this_year
    return PollCorner(
        today=today,
        fiscal_year=year,
        current_fiscal_year=current_year,
        fiscal_years=years.fiscal_years,
        run_this_year=run_this_year,
        run_in_fiscal_year=(
            run_this_year
            if year == current_year
            else polls_run_in_fiscal_year(year=year, today=today)
        ),
        open_polls=open_polls,
        upcoming_polls=upcoming,
        closed_polls=closed,
        results=poll_results(polls=closed),
        voted_ids=voted_poll_ids(user=user, polls=open_polls),
        own_requests=own_requests,
        pending_request_count=(
            Poll.objects.filter(status=PollStatus.REQUESTED).count()
            if can_manage_polls(user)
            else None
        ),
    )


def poll_requests_pending() -> QuerySet[Poll]:
    """Return the 調査依頼 waiting for the secretariat, oldest first."""
    return (
        Poll.objects.filter(status=PollStatus.REQUESTED)
        .select_related("requesting_organization", "created_by")
        .order_by("created_at", "id")
    )


def poll_requests_reviewed() -> QuerySet[Poll]:
    """Return the latest 調査依頼 the secretariat approved or rejected."""
    return (
        Poll.objects.filter(requesting_organization__isnull=False)
        .exclude(status=PollStatus.REQUESTED)
        .select_related("requesting_organization", "reviewed_by")
        .order_by("-reviewed_at", "-id")[:REVIEWED_REQUESTS_SHOWN]
    )
