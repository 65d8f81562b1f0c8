"""Quick polls (調査コーナー): one question, a few choices, a voting period."""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from renkei.directory.models import Organization

# Periods are whole days in Japan whatever time zone a request runs in.
POLL_TIME_ZONE = ZoneInfo("Asia/Tokyo")

MIN_CHOICES = 2
MAX_CHOICES = 20


def poll_today() -> date:
    """Return today's date in Japan."""
    return timezone.localdate(timezone=POLL_TIME_ZONE)


class PollStatus(models.TextChoices):
    REQUESTED = "requested", "承認待ち"
    APPROVED = "approved", "承認済み"
    REJECTED = "rejected", "却下"


class PollPhase(models.TextChoices):
    """Where a poll stands today; derived from its status, period and early close."""

    REQUESTED = "requested", "承認待ち"
    REJECTED = "rejected", "却下"
    UPCOMING = "upcoming", "実施予定"
    OPEN = "open", "実施中"
    CLOSED = "closed", "終了"


class VoteScope(models.TextChoices):
    PERSON = "person", "1人1票"
    ORGANIZATION = "organization", "1団体1票"


class ResultsVisibility(models.TextChoices):
    AFTER_VOTING = "after_voting", "投票後に表示"
    AFTER_CLOSE = "after_close", "調査期間の終了後に表示"


class Poll(models.Model):
    """One quick question put to members for a period, with its review state."""

    question = models.CharField("調査項目", max_length=200)
    description = models.TextField("補足説明", blank=True)
    start_date = models.DateField("開始日")
    end_date = models.DateField("終了日")
    vote_scope = models.CharField(
        "投票単位", max_length=20, choices=VoteScope.choices, default=VoteScope.ORGANIZATION
    )
    multiple_choice = models.BooleanField("複数選択可", default=False)
    results_visibility = models.CharField(
        "結果の表示",
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_VOTING,
    )
    status = models.CharField(
        "状態", max_length=20, choices=PollStatus.choices, default=PollStatus.REQUESTED
    )
    # Set only for 調査依頼 from a member; polls the secretariat creates have none.
    requesting_organization = models.ForeignKey(
        Organization,
        verbose_name="依頼団体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_polls",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="審査者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("審査日時", null=True, blank=True)
    rejection_reason = models.TextField("却下の理由", blank=True)
    closed_early_at = models.DateTimeField("締切日時（繰上げ）", null=True, blank=True)
    closed_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="締切操作者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "調査"
        verbose_name_plural = "調査"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="poll_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def phase(self) -> str:
        """Return where the poll stands today (a PollPhase value)."""
        if self.status == PollStatus.REQUESTED:
            return PollPhase.REQUESTED
        if self.status == PollStatus.REJECTED:
            return PollPhase.REJECTED
        today = poll_today()
        if self.closed_early_at is not None or today > self.end_date:
            return PollPhase.CLOSED
        if today < self.start_date:
            return PollPhase.UPCOMING
        return PollPhase.OPEN

    def get_phase_display(self) -> str:
        """Name the poll's phase in Japanese."""
        return PollPhase(self.phase).label

    @property
    def is_open(self) -> bool:
        """Tell whether votes are accepted today."""
        return self.phase == PollPhase.OPEN

    @property
    def is_closed(self) -> bool:
        """Tell whether the period is over or the secretariat closed it early."""
        return self.phase == PollPhase.CLOSED

    @property
    def is_editable(self) -> bool:
        """Tell whether the question and period may still change (not started, not rejected)."""
        return self.phase in (PollPhase.REQUESTED, PollPhase.UPCOMING)

    @property
    def is_per_organization(self) -> bool:
        """Tell whether each organization has one vote."""
        return self.vote_scope == VoteScope.ORGANIZATION


class Choice(models.Model):
    """One answer a voter may pick."""

    poll = models.ForeignKey(
        Poll, verbose_name="調査", on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField("順番")
    text = models.CharField("選択肢", max_length=200)

    class Meta:
        verbose_name = "選択肢"
        verbose_name_plural = "選択肢"
        # By column, not by "poll": that would join polls just to sort by their ordering.
        ordering = ["poll_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_choice_unique_position")
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One ballot: a person's, or the one that counts for an organization."""

    poll = models.ForeignKey(
        Poll, verbose_name="調査", on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="投票者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="団体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "person:<user id>" or "organization:<organization id>"; unique per poll, so two
    # requests racing each other cannot both count.
    voter_key = models.CharField("投票単位キー", max_length=40)
    choices = models.ManyToManyField(
        Choice, verbose_name="選択", through="VoteChoice", related_name="votes"
    )
    created_at = models.DateTimeField("投票日時", auto_now_add=True)
    # Set when a member changes the ballot before the poll ends; voter is then who changed it.
    changed_at = models.DateTimeField("変更日時", null=True, blank=True)

    class Meta:
        verbose_name = "投票"
        verbose_name_plural = "投票"
        ordering = ["poll_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter_key"], name="poll_vote_unique_voter")
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.voter_key}"


class VoteChoice(models.Model):
    """A choice marked on a ballot."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="marks")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="marks")

    class Meta:
        verbose_name = "投票の選択"
        verbose_name_plural = "投票の選択"
        constraints = [
            models.UniqueConstraint(fields=["vote", "choice"], name="poll_vote_choice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.choice_id}"


def voter_key(*, scope: str, user_id: int, organization_id: int | None) -> str | None:
    """Return the key a vote is counted under, or None if the user has no organization."""
    if scope == VoteScope.ORGANIZATION:
        return f"organization:{organization_id}" if organization_id is not None else None
    return f"person:{user_id}"
