"""Changing polls: requests, review, creation, editing, early close and votes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError
from renkei.core.wareki import format_date
from renkei.directory.permissions import organization_id_of, organization_of
from renkei.polls.lifecycle import POLL_WORKFLOW
from renkei.polls.models import (
    MAX_CHOICES,
    MIN_CHOICES,
    Choice,
    Poll,
    PollPhase,
    PollStatus,
    ResultsVisibility,
    Vote,
    VoteChoice,
    VoteScope,
    poll_today,
    voter_key,
)
from renkei.polls.selectors import vote_counting_for
from renkei.workflow.transitions import refused_as

CHOICE_MAX_LENGTH = 200


class PollError(ServiceError):
    """A poll change or vote that is not allowed; the Japanese message may name a field."""


@dataclass(frozen=True)
class PollDraft:
    """What a poll asks and when: the fields a request, a creation and an edit share."""

    question: str
    choices: Sequence[str]
    start_date: date
    end_date: date
    vote_scope: str = VoteScope.ORGANIZATION
    multiple_choice: bool = False
    results_visibility: str = ResultsVisibility.AFTER_VOTING
    description: str = ""


def choices_problems(texts: Sequence[str]) -> list[str]:
    """Return what is wrong with a poll's choices (blank lines ignored), or nothing."""
    choices = [text.strip() for text in texts if text.strip()]
    problems = []
    if len(choices) < MIN_CHOICES:
        problems.append(f"選択肢は{MIN_CHOICES}個以上入力してください（現在{len(choices)}個）。")
    if len(choices) > MAX_CHOICES:
        problems.append(f"選択肢は{MAX_CHOICES}個までです（現在{len(choices)}個）。")
    seen: set[str] = set()
    for text in choices:
        if len(text) > CHOICE_MAX_LENGTH:
            problems.append(
                f"選択肢は{CHOICE_MAX_LENGTH}文字以内にしてください（「{text[:20]}…」）。"
            )
        if text in seen:
            problems.append(f"選択肢「{text}」が重複しています。")
        seen.add(text)
    return problems


def period_problems(start_date: date, end_date: date) -> dict[str, list[str]]:
    """Return what is wrong with a new period, by field: it must start today or later."""
    problems: dict[str, list[str]] = {}
    today = poll_today()
    if start_date < today:
        problems["start_date"] = [f"開始日は今日（{format_date(today)}）以降の日付にしてください。"]
    if end_date < start_date:
        problems["end_date"] = ["終了日は開始日以降の日付にしてください。"]
    return problems


def _clean_draft(draft: PollDraft) -> PollDraft:
    """Return the draft with its text trimmed, or raise PollError naming the first bad field."""
    errors: dict[str, list[str]] = {}
    question = draft.question.strip()
    if not question:
        errors["question"] = ["調査項目を入力してください。"]
    if problems := choices_problems(draft.choices):
        errors["choices"] = problems
    errors |= period_problems(draft.start_date, draft.end_date)
    if draft.vote_scope not in VoteScope.values:
        errors["vote_scope"] = ["投票単位を選んでください。"]
    if draft.results_visibility not in ResultsVisibility.values:
        errors["results_visibility"] = ["結果の表示を選んでください。"]
    for field, problems in errors.items():
        raise PollError(" ".join(problems), field=field)
    return PollDraft(
        question=question,
        choices=[text.strip() for text in draft.choices if text.strip()],
        start_date=draft.start_date,
        end_date=draft.end_date,
        vote_scope=draft.vote_scope,
        multiple_choice=draft.multiple_choice,
        results_visibility=draft.results_visibility,
        description=draft.description.strip(),
    )


def _apply_draft(poll: Poll, draft: PollDraft) -> None:
    poll.question = draft.question
    poll.description = draft.description
    poll.start_date = draft.start_date
    poll.end_date = draft.end_date
    poll.vote_scope = draft.vote_scope
    poll.multiple_choice = draft.multiple_choice
    poll.results_visibility = draft.results_visibility


def _replace_choices(poll: Poll, texts: Sequence[str]) -> None:
    poll.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(poll=poll, position=index, text=text) for index, text in enumerate(texts, start=1)
    )


def poll_create(*, draft: PollDraft, by: User) -> Poll:
    """Create a poll as the secretariat; it runs in its period without further review."""
    draft = _clean_draft(draft)
    with transaction.atomic():
        poll = Poll(
            status=PollStatus.APPROVED, created_by=by, reviewed_by=by, reviewed_at=timezone.now()
        )
        _apply_draft(poll, draft)
        poll.save()
        _replace_choices(poll, draft.choices)
        audit_record(action=Action.CHANGED, actor=by, target=poll, detail={"poll": "created"})
    return poll


def poll_request(*, draft: PollDraft, by: User) -> Poll:
    """Record a member's 調査依頼 for the secretariat to approve or reject."""
    organization = organization_of(by)
    if organization is None:
        raise PollError("所属団体が登録されていないため、調査依頼はできません。")
    draft = _clean_draft(draft)
    with transaction.atomic():
        poll = Poll(
            status=PollStatus.REQUESTED, requesting_organization=organization, created_by=by
        )
        _apply_draft(poll, draft)
        poll.save()
        _replace_choices(poll, draft.choices)
        audit_record(action=Action.CHANGED, actor=by, target=poll, detail={"poll": "requested"})
    return poll


def poll_update(*, poll: Poll, draft: PollDraft, by: User) -> Poll:
    """Change a poll's question, choices or settings before it starts."""
    if not poll.is_editable:
        raise PollError("開始後または却下済みの調査は編集できません。")
    draft = _clean_draft(draft)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        # Checked again under the lock: a vote may only exist once the poll is open.
        if locked.votes.exists():
            raise PollError("投票がある調査は編集できません。")
        _apply_draft(poll, draft)
        poll.save()
        _replace_choices(poll, draft.choices)
        audit_record(action=Action.CHANGED, actor=by, target=poll, detail={"poll": "updated"})
    return poll


def _review(poll: Poll, name: str, *, by: User, changes: dict) -> Poll:
    """Apply a step of the poll review's transition table (conditional, audited, atomic)."""
    with refused_as(PollError):
        POLL_WORKFLOW.apply(instance=poll, name=name, by=by, changes=changes)
    poll.refresh_from_db()
    return poll


def poll_approve(*, poll: Poll, by: User) -> Poll:
    """Approve a 調査依頼 so that it runs in its period."""
    with refused_as(PollError):
        POLL_WORKFLOW.check(instance=poll, name="approve", by=by)
    if poll.end_date < poll_today():
        raise PollError("調査期間の終了日が過ぎています。期間を編集してから承認してください。")
    return _review(
        poll, "approve", by=by, changes={"reviewed_by": by, "reviewed_at": timezone.now()}
    )


def poll_reject(*, poll: Poll, by: User, reason: str) -> Poll:
    """Reject a 調査依頼, telling the requester why."""
    reason = reason.strip()
    if not reason:
        raise PollError("却下の理由を入力してください。", field="reason")
    changes = {"reviewed_by": by, "reviewed_at": timezone.now(), "rejection_reason": reason}
    return _review(poll, "reject", by=by, changes=changes)


def poll_close(*, poll: Poll, by: User) -> Poll:
    """Close a running poll before its end date."""
    if poll.phase != PollPhase.OPEN:
        raise PollError(
            f"実施中の調査のみ締め切れます（この調査は{poll.get_phase_display()}です）。"
        )
    with transaction.atomic():
        Poll.objects.filter(pk=poll.pk, closed_early_at__isnull=True).update(
            closed_early_at=timezone.now(), closed_early_by=by
        )
        audit_record(action=Action.CHANGED, actor=by, target=poll, detail={"poll": "closed"})
    poll.refresh_from_db()
    return poll


def _already_voted_message(poll: Poll, existing: Vote | None) -> str:
    if not poll.is_per_organization:
        return "この調査にはすでに投票しています。"
    if existing is None or existing.organization is None:
        return "所属団体はすでに投票しています（1団体1票）。"
    if existing.voter is None:
        return f"{existing.organization.name}はすでに投票しています（1団体1票）。"
    return (
        f"{existing.organization.name}は{existing.voter.get_full_name()}さんが"
        "すでに投票しています（1団体1票）。"
    )


def _chosen(poll: Poll, choice_ids: Sequence[int]) -> set[int]:
    """Return the marked choices, or raise PollError if they do not fit the poll."""
    chosen = set(choice_ids)
    if not chosen:
        raise PollError("選択肢を選んでください。", field="choices")
    if len(chosen) > 1 and not poll.multiple_choice:
        raise PollError("この調査では選択肢を1つだけ選んでください。", field="choices")
    valid = set(poll.choices.filter(pk__in=chosen).values_list("pk", flat=True))
    if valid != chosen:
        raise PollError("選択肢が正しくありません。画面を読み込み直してください。", field="choices")
    return chosen


def _choice_texts(poll: Poll, choice_ids: Sequence[int]) -> list[str]:
    return list(
        poll.choices.filter(pk__in=choice_ids).order_by("position").values_list("text", flat=True)
    )


def vote_cast(*, poll: Poll, voter: User, choice_ids: Sequence[int]) -> Vote:
    """Record a ballot; for a per-organization poll only the organization's first one counts."""
    if poll.phase != PollPhase.OPEN:
        if poll.phase == PollPhase.UPCOMING:
            raise PollError(f"この調査は{format_date(poll.start_date)}から投票できます。")
        raise PollError("この調査の投票期間は終了しています。")
    organization_id = organization_id_of(voter)
    key = voter_key(scope=poll.vote_scope, user_id=voter.pk, organization_id=organization_id)
    if key is None:
        raise PollError("所属団体が登録されていないため、1団体1票の調査には投票できません。")
    chosen = _chosen(poll, choice_ids)
    existing = vote_counting_for(poll=poll, user=voter)
    if existing is not None:
        raise PollError(_already_voted_message(poll, existing))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                poll=poll, voter=voter, organization_id=organization_id, voter_key=key
            )
            VoteChoice.objects.bulk_create(
                VoteChoice(vote=vote, choice_id=choice_id) for choice_id in sorted(chosen)
            )
            audit_record(
                action=Action.CHANGED,
                actor=voter,
                target=poll,
                detail={"poll": "voted", "choices": _choice_texts(poll, sorted(chosen))},
            )
    except IntegrityError:
        # Another request of the same person or organization got in first.
        raise PollError(
            _already_voted_message(poll, vote_counting_for(poll=poll, user=voter))
        ) from None
    return vote


def vote_change(*, poll: Poll, voter: User, choice_ids: Sequence[int]) -> Vote:
    """Replace the choices of the ballot that counts for the voter, until the poll ends.

    For a 1団体1票 poll any member of the organization may change its ballot; the change is
    written to the audit log with the choices before and after.
    """
    if poll.phase != PollPhase.OPEN:
        raise PollError("この調査の投票期間は終了しているため、投票を変更できません。")
    chosen = _chosen(poll, choice_ids)
    key = voter_key(
        scope=poll.vote_scope, user_id=voter.pk, organization_id=organization_id_of(voter)
    )
    with transaction.atomic():
        vote = (
            # Lock the vote row only: the voter join is nullable, which PostgreSQL cannot lock.
            Vote.objects.select_for_update(of=("self",))
            .select_related("voter")
            .filter(poll=poll, voter_key=key)
            .first()
            if key is not None
            else None
        )
        if vote is None:
            raise PollError("変更する投票がありません。画面を読み込み直してください。")
        before = sorted(vote.marks.values_list("choice_id", flat=True))
        if before == sorted(chosen):
            return vote
        previous_voter = vote.voter.get_username() if vote.voter else ""
        vote.marks.all().delete()
        VoteChoice.objects.bulk_create(
            VoteChoice(vote=vote, choice_id=choice_id) for choice_id in sorted(chosen)
        )
        vote.voter = voter
        vote.changed_at = timezone.now()
        vote.save(update_fields=["voter", "changed_at"])
        audit_record(
            action=Action.CHANGED,
            actor=voter,
            target=poll,
            detail={
                "poll": "vote_changed",
                "voter_key": vote.voter_key,
                "previous_voter": previous_voter,
                "from": _choice_texts(poll, before),
                "to": _choice_texts(poll, sorted(chosen)),
            },
        )
    return vote
