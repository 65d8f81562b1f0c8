from datetime import date, timedelta

from renkei.core.fiscal_year import fiscal_year_of
from renkei.polls.models import PollStatus, VoteScope
from renkei.polls.selectors import (
    ChoiceResult,
    poll_corner,
    poll_fiscal_years,
    poll_results,
    poll_years,
    polls_run_in_fiscal_year,
    voted_poll_ids,
)
from renkei.polls.services import poll_close, vote_cast
from renkei.polls.tests.ballots import choice_ids


def test_fiscal_year_count_matches_the_2008_report(make_poll):
    # The four polls of 平成20年度, as the council's report lists them.
    for question, start, end in [
        (
            "インターネット・ホームページでのLG.JPドメインの利用について",
            (2008, 6, 18),
            (2008, 7, 2),
        ),
        ("CMS（Content Management System）の導入について", (2008, 8, 7), (2008, 8, 21)),
        ("LGPKI発行の証明書の利用について", (2008, 11, 17), (2008, 12, 1)),
        ("情報システム運用課題と仮想化技術導入について", (2009, 1, 26), (2009, 2, 6)),
    ]:
        make_poll(question=question, start=date(*start), end=date(*end))
    # Neither the year before nor the year after, nor a rejected request, counts.
    make_poll(start=date(2008, 3, 20), end=date(2008, 4, 3))
    make_poll(start=date(2009, 4, 1), end=date(2009, 4, 15))
    make_poll(status=PollStatus.REJECTED, start=date(2008, 9, 1), end=date(2008, 9, 15))

    assert polls_run_in_fiscal_year(year=2008) == 4
    # 「現在までに」: on 2009-01-01 only the first three had started.
    assert polls_run_in_fiscal_year(year=2008, today=date(2009, 1, 1)) == 3


def test_fiscal_year_count_leaves_out_polls_not_started(make_poll, today):
    make_poll(start=today, end=today + timedelta(days=5))
    make_poll(start=today + timedelta(days=1), end=today + timedelta(days=5))
    make_poll(status=PollStatus.REQUESTED, start=today, end=today + timedelta(days=5))
    assert polls_run_in_fiscal_year(year=fiscal_year_of(today)) == 1


def test_fiscal_years_run_from_the_first_poll_to_this_year(make_poll, today):
    make_poll(start=date(2021, 5, 10), end=date(2021, 5, 20))
    years = poll_fiscal_years(today=date(2024, 2, 1))
    assert years == [2023, 2022, 2021]


def test_poll_years_reads_the_years_and_this_years_count_in_one_query(
    make_poll, django_assert_num_queries
):
    make_poll(start=date(2021, 5, 10), end=date(2021, 5, 20))
    make_poll(start=date(2023, 4, 1), end=date(2023, 4, 10))
    make_poll(start=date(2024, 1, 20), end=date(2024, 2, 10))
    make_poll(start=date(2024, 2, 5), end=date(2024, 2, 20))  # not started on 2024-02-01
    make_poll(status=PollStatus.REJECTED, start=date(2023, 9, 1), end=date(2023, 9, 15))
    today = date(2024, 2, 1)

    with django_assert_num_queries(1):
        years = poll_years(today=today)

    assert years.fiscal_years == [2023, 2022, 2021] == poll_fiscal_years(today=today)
    assert years.run_this_year == 2 == polls_run_in_fiscal_year(year=2023, today=today)
    assert years.today == today


def test_poll_years_without_polls_offer_this_year_only(db, today):
    years = poll_years(today=today)

    assert years.fiscal_years == [fiscal_year_of(today)]
    assert years.run_this_year == 0


def test_results_count_ballots_and_shares(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.PERSON)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])
    vote_cast(poll=poll, voter=council.representative, choice_ids=[first])
    vote_cast(poll=poll, voter=council.board, choice_ids=[second])

    results = poll_results(polls=[poll])[poll.pk]

    assert results.total == 3
    assert [row.summary for row in results.rows] == [
        "3票中2票（66.7%）",
        "3票中1票（33.3%）",
        "3票中0票（0.0%）",
    ]


def test_multiple_choice_shares_are_of_ballots(council, make_poll):
    poll = make_poll(multiple_choice=True)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first, second])
    vote_cast(poll=poll, voter=council.board, choice_ids=[first])

    rows = poll_results(polls=[poll])[poll.pk].rows

    assert [row.percent_text for row in rows] == ["100.0%", "50.0%", "0.0%"]


def test_results_of_a_poll_without_votes(make_poll):
    poll = make_poll(vote_scope=VoteScope.PERSON)
    results = poll_results(polls=[poll])[poll.pk]
    assert results.total == 0
    assert results.rows[0].summary == "0票中0票（－）"


def test_colleague_sees_the_organization_ballot(council, make_poll):
    organization_poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    person_poll = make_poll(vote_scope=VoteScope.PERSON)
    vote_cast(
        poll=organization_poll, voter=council.staff, choice_ids=choice_ids(organization_poll)[:1]
    )
    vote_cast(poll=person_poll, voter=council.staff, choice_ids=choice_ids(person_poll)[:1])

    polls = [organization_poll, person_poll]
    assert voted_poll_ids(user=council.representative, polls=polls) == {organization_poll.pk}
    assert voted_poll_ids(user=council.staff, polls=polls) == {
        organization_poll.pk,
        person_poll.pk,
    }
    assert voted_poll_ids(user=council.outsider, polls=polls) == set()


def test_corner_sorts_polls_by_phase(council, make_poll, today):
    running = make_poll(question="実施中")
    upcoming = make_poll(question="予定", start=today + timedelta(days=3))
    ended = make_poll(question="終了", start=today - timedelta(days=9), end=today - timedelta(1))
    closed_early = make_poll(question="繰上げ締切", start=today)
    poll_close(poll=closed_early, by=council.secretariat)
    request = make_poll(
        question="依頼中", status=PollStatus.REQUESTED, requesting_organization=council.member_org
    )

    corner = poll_corner(user=council.staff)

    assert corner.open_polls == [running]
    assert corner.upcoming_polls == [upcoming]
    for past in (ended, closed_early):
        year = fiscal_year_of(past.start_date)
        assert past in poll_corner(user=council.staff, fiscal_year=year).closed_polls
    assert request in corner.own_requests
    assert request not in corner.open_polls
    assert corner.pending_request_count is None
    assert poll_corner(user=council.secretariat).pending_request_count == 1
    assert poll_corner(user=council.outsider).own_requests == []


def test_corner_lists_past_polls_of_the_chosen_fiscal_year(council, make_poll):
    old = make_poll(start=date(2008, 8, 7), end=date(2008, 8, 21))
    make_poll(start=date(2009, 8, 7), end=date(2009, 8, 21))

    corner = poll_corner(user=council.observer, fiscal_year=2008)

    assert corner.closed_polls == [old]
    assert corner.run_in_fiscal_year == 1
    assert set(corner.results) == {old.pk}


def test_organization_poll_counts_organizations_with_turnout(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])
    vote_cast(poll=poll, voter=council.board, choice_ids=[second])

    results = poll_results(polls=[poll])[poll.pk]

    # Three member organizations (当別町, 和木町, 深川市); 総務省 observes and does not vote.
    assert results.organizations == 3
    assert results.turnout == "3団体中2団体（66.7%）"
    assert results.total_text == "2団体"
    assert [row.summary for row in results.rows] == [
        "2団体中1団体（50.0%）",
        "2団体中1団体（50.0%）",
        "2団体中0団体（0.0%）",
    ]


def test_results_of_many_polls_take_a_fixed_number_of_queries(
    council, make_poll, today, django_assert_num_queries
):
    polls = [make_poll(end=today + timedelta(days=n)) for n in range(1, 6)]
    polls += [make_poll(vote_scope=VoteScope.PERSON)]

    with django_assert_num_queries(3):
        results = poll_results(polls=polls)

    assert {r.organizations for r in results.values()} == {3, None}


def test_counts_over_a_thousand_carry_separators(make_poll):
    poll = make_poll(vote_scope=VoteScope.PERSON)
    choice = poll.choices.first()

    row = ChoiceResult(choice=choice, count=1234, total=1791)

    assert row.summary == "1,791票中1,234票（68.9%）"
    assert row.count_text == "1,234票"
