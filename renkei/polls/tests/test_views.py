import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renkei.core.fiscal_year import fiscal_year_label, fiscal_year_of
from renkei.core.wareki import format_wareki
from renkei.polls.models import (
    Poll,
    PollStatus,
    ResultsVisibility,
    Vote,
    VoteChoice,
    VoteScope,
)
from renkei.polls.services import vote_cast
from renkei.polls.tests.ballots import choice_ids, first_choice
from renkei.testing import login_client, text_of

# The corner page


def test_corner_says_how_many_polls_ran_this_fiscal_year(council, make_poll, today):
    for number in range(4):
        make_poll(question=f"調査{number}", start=today)
    make_poll(question="来週の調査", start=today + timedelta(days=7))

    response = login_client(council.staff).get(reverse("polls:index"))

    label = fiscal_year_label(fiscal_year_of(today))
    assert f"{label}については、現在までに<strong>4回</strong>実施しています。" in text_of(response)


def test_corner_shows_past_results_of_the_chosen_fiscal_year(council, make_poll):
    poll = make_poll(start=date(2026, 8, 7), end=date(2026, 8, 21))
    Vote.objects.create(poll=poll, voter=council.staff, voter_key="person:1")

    response = login_client(council.observer).get(reverse("polls:index"), {"year": "2026"})

    html = text_of(response)
    assert "（調査期間：令和8年8月7日～令和8年8月21日）" in html
    assert "令和8年度の実施回数：1回" in html
    assert "1団体中0団体（0.0%）" in html


def test_corner_explains_an_unknown_fiscal_year(council, make_poll):
    response = login_client(council.staff).get(reverse("polls:index"), {"year": "平成20年度"})
    assert response.status_code == 200
    assert "指定された年度の調査はありません。" in text_of(response)


def test_unknown_fiscal_year_is_refused_in_japanese_and_this_years_results_shown(
    council, make_poll, today
):
    make_poll()

    client = login_client(council.staff)
    html = text_of(client.get(reverse("polls:index"), {"year": "1999"}))

    assert "指定された年度の調査はありません。" in html
    assert f"{fiscal_year_label(fiscal_year_of(today))}の実施回数：1回" in html
    unfiltered = client.get(reverse("polls:index")).content.decode()
    assert f'<option value="{fiscal_year_of(today)}" selected>' in unfiltered


def test_corner_shows_the_requester_its_requests_and_their_status(council, make_poll, today):
    make_poll(
        question="仮想化技術導入について",
        status=PollStatus.REJECTED,
        requesting_organization=council.member_org,
        start=today + timedelta(days=3),
    )
    Poll.objects.filter(question="仮想化技術導入について").update(
        rejection_reason="類似の照会を実施中のため"
    )

    html = text_of(login_client(council.representative).get(reverse("polls:index")))

    assert "自団体からの調査依頼" in html
    assert "却下の理由：類似の照会を実施中のため" in html
    assert "仮想化技術導入について" not in text_of(login_client(council.outsider).get("/polls/"))


def make_corner_polls(council, make_poll, today, count: int) -> None:
    """Store `count` polls of each kind the corner lists, each with ballots."""
    voters = [council.staff, council.board, council.outsider]
    for number in range(count):
        running = make_poll(question=f"実施中{number}", start=today)
        closed = make_poll(question=f"締切済み{number}", start=today)
        make_poll(question=f"予定{number}", start=today + timedelta(days=2))
        make_poll(
            question=f"依頼{number}",
            status=PollStatus.REQUESTED,
            requesting_organization=council.member_org,
            start=today + timedelta(days=2),
        )
        for poll in (running, closed):
            for voter in voters:
                vote = Vote.objects.create(
                    poll=poll,
                    voter=voter,
                    organization=voter.person.organization,
                    voter_key=f"organization:{voter.person.organization_id}",
                )
                VoteChoice.objects.create(vote=vote, choice_id=first_choice(poll))
        Poll.objects.filter(pk=closed.pk).update(closed_early_at=timezone.now())


# Session and user (2), the secretariat's MFA check (1), the corner itself (6 at most: the
# years and this year's count are one query), and saving the session (3: savepoint, update,
# release).
CORNER_MAX_QUERIES = 13


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("role", ["staff", "observer", "secretariat"])
def test_corner_queries_stay_flat_as_polls_grow(
    council, make_poll, today, django_assert_max_num_queries, count, role
):
    make_corner_polls(council, make_poll, today, count)
    client = login_client(council.users_by_role()[role])

    with django_assert_max_num_queries(CORNER_MAX_QUERIES):
        response = client.get(reverse("polls:index"))

    assert response.status_code == 200
    assert text_of(response).count("/vote/") == 0  # the corner links to polls, it holds no ballot


def test_corner_makes_the_same_queries_for_3_and_30_polls(council, make_poll, today):
    counts = []
    for total in (3, 30):
        make_corner_polls(council, make_poll, today, total - len(counts) * 3)
        client = login_client(council.staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("polls:index"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The poll page and voting


def test_member_votes_and_then_sees_the_results(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.PERSON)
    client = login_client(council.staff)

    html = text_of(client.get(reverse("polls:detail", args=[poll.pk])))
    assert "<legend>CMS（Content Management System）の導入について</legend>" in html
    assert 'type="radio" name="choices"' in html
    assert "結果は投票後に表示されます" in html

    response = client.post(reverse("polls:vote", args=[poll.pk]), {"choices": first_choice(poll)})
    assert response.status_code == 302

    html = text_of(client.get(response["Location"]))
    assert "投票を受け付けました。" in html
    assert "投票済みです" in html
    assert 'role="img"' in html
    assert '<title id="poll-chart-' in html
    assert '<desc id="poll-chart-' in html
    assert "<caption>「CMS（Content Management System）の導入について」の集計表（回答1票）" in html
    assert "1票中1票（100.0%）" in html


def test_multiple_choice_poll_offers_checkboxes(council, make_poll):
    poll = make_poll(multiple_choice=True)
    html = text_of(login_client(council.staff).get(reverse("polls:detail", args=[poll.pk])))
    assert 'type="checkbox" name="choices"' in html
    assert "複数選択可" in html


def test_colleague_sees_who_voted_for_the_organization(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    client = login_client(council.representative)

    html = text_of(client.get(reverse("polls:detail", args=[poll.pk])))
    assert "当別町は当別 次郎さんが投票済みです" in html
    assert f'action="{reverse("polls:vote", args=[poll.pk])}"' not in html

    response = client.post(reverse("polls:vote", args=[poll.pk]), {"choices": first_choice(poll)})
    assert response.status_code == 302
    html = text_of(client.get(response["Location"]))
    assert "当別町は当別 次郎さんがすでに投票しています（1団体1票）。" in html
    assert poll.votes.count() == 1


def test_ballot_without_a_choice_is_shown_again_with_an_error(council, make_poll):
    poll = make_poll()
    response = login_client(council.staff).post(reverse("polls:vote", args=[poll.pk]), {})
    assert response.status_code == 200
    assert "選択肢を選んでください。" in text_of(response)
    assert 'aria-describedby="vote-help vote-errors"' in text_of(response)
    assert not poll.votes.exists()


def test_results_wait_for_the_close_when_the_poll_says_so(council, make_poll):
    poll = make_poll(results_visibility=ResultsVisibility.AFTER_CLOSE)
    client = login_client(council.staff)
    client.post(reverse("polls:vote", args=[poll.pk]), {"choices": first_choice(poll)})

    html = text_of(client.get(reverse("polls:detail", args=[poll.pk])))
    assert "結果は調査期間の終了後に公開されます。" in html
    assert 'role="img"' not in html
    assert 'role="img"' in text_of(
        login_client(council.secretariat).get(reverse("polls:detail", args=[poll.pk]))
    )


def test_observer_reads_closed_results_but_gets_no_ballot(council, make_poll, today):
    running = make_poll()
    closed = make_poll(start=today - timedelta(days=20), end=today - timedelta(days=6))
    vote = Vote.objects.create(poll=closed, voter=council.staff, voter_key="organization:1")
    VoteChoice.objects.create(vote=vote, choice_id=first_choice(closed))
    client = login_client(council.observer)

    html = text_of(client.get(reverse("polls:detail", args=[running.pk])))
    assert "オブザーバの方は投票できません。" in html
    assert 'name="choices"' not in html

    html = text_of(client.get(reverse("polls:detail", args=[closed.pk])))
    assert 'role="img"' in html
    assert "1団体中1団体（100.0%）" in html


def test_poll_page_shows_the_period_in_the_era_calendar(council, make_poll):
    poll = make_poll(start=date(2026, 8, 7), end=date(2026, 8, 21))
    html = text_of(login_client(council.staff).get(reverse("polls:detail", args=[poll.pk])))
    assert "令和8年8月7日～令和8年8月21日" in html


# Requests and review


def test_member_requests_a_poll_and_sees_it_waiting(council, today):
    client = login_client(council.staff)
    response = client.post(
        reverse("polls:request"),
        {
            "question": "情報システム運用課題と仮想化技術導入について",
            "choices": "導入済み\n検討中\n\n予定なし\n",
            "start_date": format_wareki(today + timedelta(days=3)),
            "end_date": f"R{(today + timedelta(days=14)).year - 2018}."
            f"{(today + timedelta(days=14)).month}.{(today + timedelta(days=14)).day}",
            "vote_scope": "organization",
            "results_visibility": "after_voting",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert list(poll.choices.values_list("text", flat=True)) == ["導入済み", "検討中", "予定なし"]

    html = text_of(client.get(response["Location"]))
    assert "当別町からの調査依頼" in html
    assert "この調査依頼は事務局の承認待ちです。" in html


def test_bad_request_is_shown_again_and_nothing_is_stored(council, today):
    response = login_client(council.staff).post(
        reverse("polls:request"),
        {
            "question": "",
            "choices": "はい\nはい",
            "start_date": "令和8年13月1日",
            "end_date": "",
            "vote_scope": "organization",
            "results_visibility": "after_voting",
        },
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "調査項目を入力してください。" in html
    assert "選択肢「はい」が重複しています。" in html
    assert "選択肢は2個以上入力してください（現在1個）。" not in html
    assert "終了日を入力してください。" in html
    assert "令和8年13月1日" in html  # what the user typed stays in the field
    assert not Poll.objects.exists()


def test_period_ending_before_it_starts_is_refused_with_a_message(council, today):
    response = login_client(council.staff).post(
        reverse("polls:request"),
        {
            "question": "テスト",
            "choices": "はい\nいいえ",
            "start_date": (today + timedelta(days=5)).isoformat(),
            "end_date": (today + timedelta(days=2)).isoformat(),
            "vote_scope": "person",
            "results_visibility": "after_close",
        },
    )
    assert "終了日は開始日以降の日付にしてください。" in text_of(response)
    assert not Poll.objects.exists()


def test_secretariat_queue_lists_requests_and_approval_schedules_them(council, make_poll, today):
    poll = make_poll(
        question="仮想化技術導入について",
        status=PollStatus.REQUESTED,
        requesting_organization=council.member_org,
        start=today + timedelta(days=3),
    )
    client = login_client(council.secretariat)
    html = text_of(client.get(reverse("polls:queue")))
    assert "承認待ち（1件）" in html
    assert "仮想化技術導入について" in html

    response = client.post(reverse("polls:approve", args=[poll.pk]))
    assert response["Location"] == reverse("polls:queue")
    html = text_of(login_client(council.outsider).get(reverse("polls:index")))
    assert "仮想化技術導入について" in html
    assert "（当別町からの調査依頼）" in html


def test_rejection_needs_a_reason(council, make_poll, today):
    poll = make_poll(status=PollStatus.REQUESTED, requesting_organization=council.member_org)
    client = login_client(council.secretariat)

    response = client.post(reverse("polls:reject", args=[poll.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "却下の理由を入力してください。" in text_of(response)
    poll.refresh_from_db()
    assert poll.status == PollStatus.REQUESTED

    client.post(reverse("polls:reject", args=[poll.pk]), {"reason": "重複のため"})
    html = text_of(login_client(council.staff).get(reverse("polls:detail", args=[poll.pk])))
    assert "この調査依頼は却下されました" in html
    assert "却下の理由：重複のため" in html


def test_secretariat_closes_a_poll_early(council, make_poll):
    poll = make_poll()
    client = login_client(council.secretariat)
    client.post(reverse("polls:close", args=[poll.pk]), {"confirm": "yes"})
    html = text_of(client.get(reverse("polls:detail", args=[poll.pk])))
    assert "終了" in html
    assert "に締切）" in html
    html = text_of(login_client(council.observer).get(reverse("polls:detail", args=[poll.pk])))
    assert 'role="img"' in html or "まだ投票はありません。" in html


def test_running_poll_cannot_be_edited(council, make_poll):
    poll = make_poll()
    client = login_client(council.secretariat)
    response = client.get(reverse("polls:edit", args=[poll.pk]))
    assert response["Location"] == reverse("polls:detail", args=[poll.pk])
    assert "開始後または却下済みの調査は編集できません。" in text_of(
        client.get(response["Location"])
    )


def test_edit_form_shows_the_poll_in_the_era_calendar(council, make_poll, today):
    poll = make_poll(start=today + timedelta(days=3), choices=("はい", "いいえ"))
    html = text_of(login_client(council.secretariat).get(reverse("polls:edit", args=[poll.pk])))
    assert f'value="{format_wareki(today + timedelta(days=3))}"' in html
    assert "はい\nいいえ</textarea>" in html


def test_organization_poll_page_reports_organizations_and_turnout(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])

    html = text_of(login_client(council.staff).get(reverse("polls:detail", args=[poll.pk])))

    assert "投票した団体（投票率）：3団体中1団体（33.3%）" in html
    assert "1団体中1団体（100.0%）" in html
    assert '<th scope="col" class="num">団体数</th>' in html
    assert "1票中" not in html


def test_colleague_changes_the_organization_vote_until_the_poll_ends(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])
    client = login_client(council.representative)

    html = text_of(client.get(reverse("polls:detail", args=[poll.pk])))
    assert "投票を変更する" in html
    assert re.search(rf'value="{first}"[^>]* checked>', html)
    response = client.post(reverse("polls:vote_change", args=[poll.pk]), {"choices": second})

    assert response.status_code == 302
    html = text_of(client.get(response["Location"]))
    assert "投票を変更しました。" in html
    assert list(poll.votes.get().choices.values_list("pk", flat=True)) == [second]


def test_vote_change_is_refused_to_outsiders_and_observers(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])
    url = reverse("polls:vote_change", args=[poll.pk])

    assert Client().post(url, {"choices": second}).status_code == 302  # to the login page
    assert login_client(council.observer).post(url, {"choices": second}).status_code == 403
    outsider = login_client(council.outsider)
    response = outsider.post(url, {"choices": second})
    assert "変更する投票がありません" in text_of(outsider.get(response["Location"]))
    assert list(poll.votes.get().choices.values_list("pk", flat=True)) == [first]


def test_vote_change_form_is_gone_once_the_poll_is_closed(council, make_poll, today):
    poll = make_poll(start=today - timedelta(days=20), end=today - timedelta(days=6))
    Vote.objects.create(
        poll=poll, voter=council.staff, voter_key=f"organization:{council.member_org.pk}"
    )

    html = text_of(login_client(council.staff).get(reverse("polls:detail", args=[poll.pk])))

    assert "投票済みです" in html
    assert "投票を変更する" not in html


def test_poll_close_asks_first_and_neither_get_nor_unconfirmed_post_changes_anything(
    council, make_poll
):
    poll = make_poll()
    client = login_client(council.secretariat)

    confirmation = text_of(client.get(reverse("polls:close", args=[poll.pk])))
    unconfirmed = client.post(reverse("polls:close", args=[poll.pk]))

    assert unconfirmed.status_code == 200
    poll.refresh_from_db()
    assert poll.closed_early_at is None
    assert "今すぐ締め切ります" in confirmation
    assert "この操作ではメールは送信されません。" in confirmation
    assert 'name="confirm" value="yes"' in confirmation
