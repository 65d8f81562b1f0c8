from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.accounts.models import Role, User
from renkei.audit.models import Action, AuditEvent
from renkei.polls import services
from renkei.polls.models import (
    Choice,
    Poll,
    PollPhase,
    PollStatus,
    Vote,
    VoteScope,
)
from renkei.polls.services import (
    PollDraft,
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
from renkei.polls.tests.ballots import choice_ids, first_choice


def draft(today, **overrides) -> PollDraft:
    values = {
        "question": "LGPKI（地方公共団体組織認証基盤）発行の証明書の利用について",
        "choices": ["利用している", "利用を検討中", "利用していない"],
        "start_date": today + timedelta(days=1),
        "end_date": today + timedelta(days=15),
    }
    return PollDraft(**(values | overrides))


# Voting: one ballot per person or per organization


def test_person_poll_takes_one_vote_per_person(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.PERSON)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    vote_cast(poll=poll, voter=council.representative, choice_ids=[first_choice(poll)])

    with pytest.raises(PollError, match="すでに投票しています"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert poll.votes.count() == 2


def test_organization_poll_counts_only_the_first_colleague(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])

    with pytest.raises(PollError) as refused:
        vote_cast(poll=poll, voter=council.representative, choice_ids=[first_choice(poll)])
    assert refused.value.message == "当別町は当別 次郎さんがすでに投票しています（1団体1票）。"
    vote = poll.votes.get()
    assert (vote.voter, vote.organization) == (council.staff, council.member_org)


def test_organization_poll_takes_a_vote_from_each_organization(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    for user in (council.staff, council.board, council.outsider):
        vote_cast(poll=poll, voter=user, choice_ids=[first_choice(poll)])
    assert poll.votes.count() == 3


def test_database_refuses_a_second_ballot_under_the_same_key(council, make_poll):
    poll = make_poll()
    Vote.objects.create(poll=poll, voter=council.staff, voter_key="organization:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(poll=poll, voter=council.representative, voter_key="organization:1")


def test_racing_second_ballot_is_refused_cleanly(council, make_poll, monkeypatch):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    # The colleague's request read "not voted yet" before the first ballot was committed.
    real_lookup = services.vote_counting_for
    calls = []

    def stale_then_real(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_lookup(**kwargs)

    monkeypatch.setattr(services, "vote_counting_for", stale_then_real)

    with pytest.raises(PollError, match="当別 次郎さんがすでに投票しています"):
        vote_cast(poll=poll, voter=council.representative, choice_ids=[first_choice(poll)])
    assert poll.votes.count() == 1
    assert len(calls) == 2


def test_organization_poll_refuses_a_user_without_organization(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    loner = User.objects.create_user(username="loner", password="x" * 12, role=Role.STAFF)
    with pytest.raises(PollError, match="所属団体が登録されていない"):
        vote_cast(poll=poll, voter=loner, choice_ids=[first_choice(poll)])
    assert not poll.votes.exists()


# Voting: a ballot changes until the poll ends


def test_colleague_changes_the_organization_vote_and_it_is_audited(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])

    vote_change(poll=poll, voter=council.representative, choice_ids=[second])

    vote = poll.votes.get()
    assert list(vote.choices.values_list("pk", flat=True)) == [second]
    assert (vote.voter, vote.organization) == (council.representative, council.member_org)
    assert vote.changed_at is not None
    event = AuditEvent.objects.filter(detail__poll="vote_changed").get()
    assert event.actor == council.representative
    assert event.detail["from"] == ["導入済み"]
    assert event.detail["to"] == ["導入予定"]
    assert event.detail["previous_voter"] == council.staff.username


def test_vote_cannot_change_after_the_poll_ends(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])
    poll_close(poll=poll, by=council.secretariat)

    with pytest.raises(PollError, match="投票期間は終了しているため、投票を変更できません"):
        vote_change(poll=poll, voter=council.staff, choice_ids=[second])
    assert list(poll.votes.get().choices.values_list("pk", flat=True)) == [first]
    assert not AuditEvent.objects.filter(detail__poll="vote_changed").exists()


def test_another_organization_cannot_change_a_vote_it_did_not_cast(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)
    first, second, _ = choice_ids(poll)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first])

    with pytest.raises(PollError, match="変更する投票がありません"):
        vote_change(poll=poll, voter=council.outsider, choice_ids=[second])
    assert list(poll.votes.get().choices.values_list("pk", flat=True)) == [first]


def test_casting_a_vote_is_audited(council, make_poll):
    poll = make_poll(vote_scope=VoteScope.ORGANIZATION)

    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])

    event = AuditEvent.objects.filter(detail__poll="voted").get()
    assert (event.actor, event.detail["choices"]) == (council.staff, ["導入済み"])


# Voting: the period


def test_voting_before_the_start_is_refused(council, make_poll, today):
    poll = make_poll(start=today + timedelta(days=1))
    with pytest.raises(PollError, match="から投票できます"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert not poll.votes.exists()


def test_voting_after_the_end_is_refused(council, make_poll, today):
    poll = make_poll(start=today - timedelta(days=10), end=today - timedelta(days=1))
    with pytest.raises(PollError, match="投票期間は終了しています"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert not poll.votes.exists()


def test_voting_on_the_end_date_is_accepted(council, make_poll, today):
    poll = make_poll(start=today - timedelta(days=10), end=today)
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert poll.votes.count() == 1


def test_period_follows_the_day_in_japan(council, make_poll, monkeypatch):
    poll = make_poll(start=date(2026, 8, 7), end=date(2026, 8, 21))
    # 21 August 15:30 UTC is already 22 August 00:30 in Tokyo: the poll has closed.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 8, 21, 15, 30, tzinfo=UTC))
    with pytest.raises(PollError, match="投票期間は終了しています"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    # 6 August 15:30 UTC is 7 August 00:30 in Tokyo: the first day.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 8, 6, 15, 30, tzinfo=UTC))
    vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert poll.votes.count() == 1


def test_voting_in_a_poll_closed_early_is_refused(council, make_poll):
    poll = make_poll()
    poll_close(poll=poll, by=council.secretariat)
    with pytest.raises(PollError, match="投票期間は終了しています"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])


def test_voting_in_a_request_not_approved_is_refused(council, make_poll):
    poll = make_poll(status=PollStatus.REQUESTED, requesting_organization=council.member_org)
    with pytest.raises(PollError):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(poll)])
    assert not poll.votes.exists()


# Voting: the choices


def test_single_choice_poll_refuses_two_marks(council, make_poll):
    poll = make_poll()
    ids = list(poll.choices.values_list("pk", flat=True))
    with pytest.raises(PollError) as refused:
        vote_cast(poll=poll, voter=council.staff, choice_ids=ids[:2])
    assert (refused.value.field, refused.value.message) == (
        "choices",
        "この調査では選択肢を1つだけ選んでください。",
    )
    assert not poll.votes.exists()


def test_multiple_choice_poll_records_every_mark(council, make_poll):
    poll = make_poll(multiple_choice=True)
    ids = list(poll.choices.values_list("pk", flat=True))
    vote = vote_cast(poll=poll, voter=council.staff, choice_ids=ids[:2])
    assert set(vote.choices.values_list("pk", flat=True)) == set(ids[:2])


def test_choice_of_another_poll_is_refused(council, make_poll):
    poll = make_poll()
    other = make_poll(question="別の調査")
    with pytest.raises(PollError, match="選択肢が正しくありません"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[first_choice(other)])
    assert not Vote.objects.exists()


def test_empty_ballot_is_refused(council, make_poll):
    poll = make_poll()
    with pytest.raises(PollError, match="選択肢を選んでください"):
        vote_cast(poll=poll, voter=council.staff, choice_ids=[])


# Requests and review


def test_request_records_the_requesting_organization(council, today):
    poll = poll_request(draft=draft(today), by=council.staff)
    assert poll.status == PollStatus.REQUESTED
    assert poll.requesting_organization == council.member_org
    assert poll.created_by == council.staff
    assert list(poll.choices.values_list("text", flat=True)) == [
        "利用している",
        "利用を検討中",
        "利用していない",
    ]


def test_approving_a_request_lets_it_run_in_its_period(council, today):
    poll = poll_request(draft=draft(today), by=council.staff)
    poll_approve(poll=poll, by=council.secretariat)
    assert poll.status == PollStatus.APPROVED
    assert poll.reviewed_by == council.secretariat
    assert poll.phase == PollPhase.UPCOMING
    assert AuditEvent.objects.filter(
        target_id=str(poll.pk),
        action=Action.STATUS_CHANGED,
        detail__transition="approve",
        actor=council.secretariat,
    ).exists()


def test_rejecting_a_request_keeps_the_reason(council, today):
    poll = poll_request(draft=draft(today), by=council.staff)
    poll_reject(poll=poll, by=council.secretariat, reason="既存の照会と内容が重複するため")
    poll.refresh_from_db()
    assert poll.status == PollStatus.REJECTED
    assert poll.rejection_reason == "既存の照会と内容が重複するため"


def test_rejecting_without_a_reason_changes_nothing(council, today):
    poll = poll_request(draft=draft(today), by=council.staff)
    with pytest.raises(PollError) as refused:
        poll_reject(poll=poll, by=council.secretariat, reason="   ")
    assert (refused.value.field, refused.value.message) == (
        "reason",
        "却下の理由を入力してください。",
    )
    poll.refresh_from_db()
    assert poll.status == PollStatus.REQUESTED


def test_request_can_be_reviewed_only_once(council, today):
    poll = poll_request(draft=draft(today), by=council.staff)
    poll_approve(poll=poll, by=council.secretariat)
    with pytest.raises(
        PollError, match="承認できるのは承認待ちの調査のみです。（現在の状態：承認済み）"
    ):
        poll_approve(poll=poll, by=council.secretariat)
    with pytest.raises(
        PollError, match="却下できるのは承認待ちの調査のみです。（現在の状態：承認済み）"
    ):
        poll_reject(poll=poll, by=council.secretariat, reason="理由")


def test_request_whose_period_has_passed_cannot_be_approved(council, make_poll, today):
    poll = make_poll(
        status=PollStatus.REQUESTED,
        requesting_organization=council.member_org,
        start=today - timedelta(days=10),
        end=today - timedelta(days=1),
    )
    with pytest.raises(PollError, match="終了日が過ぎています"):
        poll_approve(poll=poll, by=council.secretariat)
    poll.refresh_from_db()
    assert poll.status == PollStatus.REQUESTED


# Creating and editing


def test_secretariat_poll_runs_without_review(council, today):
    poll = poll_create(draft=draft(today, start_date=today), by=council.secretariat)
    assert poll.status == PollStatus.APPROVED
    assert poll.requesting_organization is None
    assert poll.phase == PollPhase.OPEN


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"question": "  "}, "question", "調査項目を入力してください。"),
        ({"choices": ["はい"]}, "choices", "選択肢は2個以上入力してください（現在1個）。"),
        (
            {"choices": [f"選択肢{n}" for n in range(21)]},
            "choices",
            "選択肢は20個までです（現在21個）。",
        ),
        ({"choices": ["はい", "はい "]}, "choices", "選択肢「はい」が重複しています。"),
        ({"choices": ["はい", "x" * 201]}, "choices", "選択肢は200文字以内にしてください"),
        ({"vote_scope": "everyone"}, "vote_scope", "投票単位を選んでください。"),
    ],
)
def test_bad_poll_input_is_refused_and_nothing_is_stored(council, today, overrides, field, message):
    with pytest.raises(PollError) as refused:
        poll_create(draft=draft(today, **overrides), by=council.secretariat)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not Poll.objects.exists()
    assert not Choice.objects.exists()


def test_end_before_start_is_refused(council, today):
    with pytest.raises(PollError) as refused:
        poll_request(
            draft=draft(today, end_date=today + timedelta(days=1), start_date=today + timedelta(5)),
            by=council.staff,
        )
    assert (refused.value.field, refused.value.message) == (
        "end_date",
        "終了日は開始日以降の日付にしてください。",
    )
    assert not Poll.objects.exists()


def test_start_in_the_past_is_refused(council, today):
    with pytest.raises(PollError) as refused:
        poll_request(draft=draft(today, start_date=today - timedelta(days=1)), by=council.staff)
    assert refused.value.field == "start_date"
    assert "開始日は今日" in refused.value.message


def test_poll_can_be_edited_before_it_starts(council, make_poll, today):
    poll = make_poll(start=today + timedelta(days=2))
    poll_update(
        poll=poll,
        draft=draft(today, question="CMSの導入について（再調査）", choices=["あり", "なし"]),
        by=council.secretariat,
    )
    poll.refresh_from_db()
    assert poll.question == "CMSの導入について（再調査）"
    assert list(poll.choices.values_list("text", flat=True)) == ["あり", "なし"]


def test_poll_cannot_be_edited_once_running(council, make_poll, today):
    poll = make_poll()
    with pytest.raises(PollError, match="編集できません"):
        poll_update(poll=poll, draft=draft(today), by=council.secretariat)
    assert poll.choices.count() == 3


# Closing early


def test_closing_early_ends_voting_and_opens_results(council, make_poll):
    poll = make_poll()
    poll_close(poll=poll, by=council.secretariat)
    assert poll.phase == PollPhase.CLOSED
    assert poll.closed_early_by == council.secretariat


def test_poll_that_has_not_started_cannot_be_closed(council, make_poll, today):
    poll = make_poll(start=today + timedelta(days=1))
    with pytest.raises(PollError, match="実施中の調査のみ"):
        poll_close(poll=poll, by=council.secretariat)
    poll.refresh_from_db()
    assert poll.closed_early_at is None
