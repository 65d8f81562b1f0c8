"""Seminars and trainings (セミナー・研修): the event, its program and its registrations."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from renkei.core.question_kinds.definitions import NO, OTHER_CHOICE, YES, QuestionKind
from renkei.directory.models import Organization, Person


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "セミナー"
    TRAINING = "training", "研修"
    LECTURE = "lecture", "講演会"
    FAIR = "fair", "推進フェア"
    STUDY = "study", "勉強会"


class Delivery(models.TextChoices):
    VENUE = "venue", "会場"
    ONLINE = "online", "オンライン"
    HYBRID = "hybrid", "会場・オンライン併用"


class Audience(models.TextChoices):
    MEMBERS = "members", "会員のみ"
    OPEN = "open", "会員以外の団体も参加可"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "準備中"
    PUBLISHED = "published", "公開中"
    CANCELLED = "cancelled", "中止"


# The training catalogue of seed 002 (研修内容); free text is allowed besides.
class Theme(models.TextChoices):
    NONE = "", "（指定なし）"
    SECURITY = "security", "セキュリティ総合"
    NETWORK = "network", "ネットワーク総合"
    PROCUREMENT = "procurement", "調達管理"
    CYBER = "cyber", "サイバー攻撃対策"
    POLICY = "policy", "情報政策の企画及び立案"


class Level(models.TextChoices):
    NONE = "", "（指定なし）"
    BASIC = "basic", "初級"
    INTERMEDIATE = "intermediate", "中級"
    ADVANCED = "advanced", "上級"


class Event(models.Model):
    """A seminar, training, lecture, fair or study meeting the council holds."""

    title = models.CharField("名称", max_length=200)
    kind = models.CharField("種類", max_length=20, choices=EventKind.choices)
    description = models.TextField("概要", blank=True)
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    venue = models.CharField("会場", max_length=200, blank=True)
    delivery = models.CharField(
        "開催方法", max_length=20, choices=Delivery.choices, default=Delivery.VENUE
    )
    online_url = models.URLField("オンライン参加のURL", blank=True)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    audience = models.CharField(
        "対象", max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    registration_opens_at = models.DateTimeField("申込開始", null=True, blank=True)
    registration_closes_at = models.DateTimeField("申込締切", null=True, blank=True)
    theme = models.CharField("研修テーマ", max_length=20, choices=Theme.choices, blank=True)
    level = models.CharField("対象レベル", max_length=20, choices=Level.choices, blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField("公開日時", null=True, blank=True)

    class Meta:
        verbose_name = "セミナー・研修"
        verbose_name_plural = "セミナー・研修"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One item of an event's program (プログラム): a talk, a lecture, a break."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveIntegerField("順番")
    starts_at = models.TimeField("開始", null=True, blank=True)
    ends_at = models.TimeField("終了", null=True, blank=True)
    label = models.CharField("区分", max_length=40, blank=True, help_text="例：講演1、開会")
    theme = models.CharField("演題", max_length=200)
    speaker_name = models.CharField("講師", max_length=100, blank=True)
    speaker_affiliation = models.CharField("所属", max_length=200, blank=True)
    speaker_title = models.CharField("役職", max_length=100, blank=True)

    class Meta:
        verbose_name = "プログラム"
        verbose_name_plural = "プログラム"
        # By the column, not the relation: ordering by "event" would join the event's table
        # for its own ordering.
        ordering = ["event_id", "position"]

    def __str__(self) -> str:
        return self.theme


class MaterialTiming(models.TextChoices):
    BEFORE = "before", "事前資料"
    AFTER = "after", "当日・事後資料"


class EventMaterial(models.Model):
    """A document of an event (講演資料): handed out before it, or shared on the day or after."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    timing = models.CharField(
        "区分", max_length=10, choices=MaterialTiming.choices, default=MaterialTiming.BEFORE
    )
    title = models.CharField("資料名", max_length=200)
    file = models.FileField("ファイル", upload_to="events/materials/%Y/%m/")
    registrants_only = models.BooleanField(
        "参加確定者のみ",
        default=False,
        help_text="講師の意向などで配布先を限る資料。参加が確定した方と事務局だけが開けます。",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "催しの資料"
        verbose_name_plural = "催しの資料"
        # "before" sorts after "after": descending puts the 事前資料 first.
        ordering = ["event_id", "-timing", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "メール確認待ち"
    CONFIRMED = "confirmed", "参加確定"
    WAITLISTED = "waitlisted", "キャンセル待ち"
    CANCELLED = "cancelled", "取消"


ACTIVE_STATUSES = (
    RegistrationStatus.UNCONFIRMED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


def registration_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """One participant's registration; a member's comes from the directory, a non-member's
    from a form confirmed by e-mail."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField("状態", max_length=20, choices=RegistrationStatus.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Copied at registration: the sign-in sheet shows who registered, even after a transfer.
    name = models.CharField("氏名", max_length=100)
    organization_name = models.CharField("団体名", max_length=200)
    department = models.CharField("所属", max_length=200, blank=True)
    email = models.EmailField("メールアドレス")
    is_member = models.BooleanField("会員", default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The registrant's own key: the confirmation and cancellation links, the QR code.
    token = models.CharField(max_length=64, unique=True, default=registration_token)
    created_at = models.DateTimeField("申込日時", auto_now_add=True)
    confirmed_at = models.DateTimeField("確定日時", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消日時", null=True, blank=True)
    # When the reminder before the event was queued: each registration is reminded once.
    reminded_at = models.DateTimeField("前日案内の送信日時", null=True, blank=True)
    checked_in_at = models.DateTimeField("受付日時", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "参加申込"
        verbose_name_plural = "参加申込"
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["unconfirmed", "confirmed", "waitlisted"]),
                name="events_one_active_registration_per_address",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.name}"


# --- Questionnaires (アンケート) --------------------------------------------------------------


class QuestionnaireKind(models.TextChoices):
    POST_EVENT = "post_event", "事後アンケート"
    NEEDS = "needs", "研修ニーズ調査"


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "準備中"
    OPEN = "open", "回答受付中"
    CLOSED = "closed", "締切"


class Questionnaire(models.Model):
    """A questionnaire: an event's 事後アンケート (its participants answer) or a fiscal year's
    研修ニーズ調査 (members answer before any training of that year is planned); each answer is
    one person's."""

    # A post-event questionnaire belongs to its event, a needs questionnaire to the training
    # catalogue (研修計画) of a fiscal year: exactly one of the two (the check constraint).
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="questionnaires"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    kind = models.CharField("種類", max_length=20, choices=QuestionnaireKind.choices)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("説明", blank=True)
    status = models.CharField(
        "状態",
        max_length=20,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    opened_at = models.DateTimeField("回答開始", null=True, blank=True)
    closed_at = models.DateTimeField("締切日時", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "アンケート"
        verbose_name_plural = "アンケート"
        ordering = ["event_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="post_event", event__isnull=False, fiscal_year__isnull=True)
                | Q(kind="needs", event__isnull=True, fiscal_year__isnull=False),
                name="events_questionnaire_of_event_or_fiscal_year",
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "kind"])]

    def __str__(self) -> str:
        return self.title


# The registry's kinds a questionnaire offers: no tables, no files from people outside.
QUESTIONNAIRE_KINDS = [
    (kind.value, kind.label)
    for kind in QuestionKind
    if kind not in (QuestionKind.TABLE, QuestionKind.FILE)
]


class QuestionnaireQuestion(models.Model):
    """One question of a questionnaire; what its answer is, is its kind's in the registry
    (renkei.core.question_kinds)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("順番")
    code = models.CharField("設問番号", max_length=20)
    kind = models.CharField("形式", max_length=20, choices=QUESTIONNAIRE_KINDS)
    text = models.CharField("設問", max_length=500)
    required = models.BooleanField("必須", default=False)
    choices = models.JSONField("選択肢", default=list, blank=True)
    allow_other = models.BooleanField("「その他」を加える", default=False)
    unit = models.CharField("単位", max_length=20, blank=True)

    # A questionnaire has no table questions; the registry reads these of every question.
    table_rows: list[str] = []
    table_columns: list[str] = []
    table_numeric = False
    help_text = ""

    class Meta:
        verbose_name = "アンケートの設問"
        verbose_name_plural = "アンケートの設問"
        ordering = ["questionnaire_id", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def options(self) -> list[str]:
        """Return the choices offered, with その他 last when allowed."""
        if self.kind in ("single", "multiple"):
            return [*self.choices, OTHER_CHOICE] if self.allow_other else list(self.choices)
        if self.kind == "yes_no":
            return [YES, NO]
        return []


class QuestionnaireAnswer(models.Model):
    """One person's answer: a registrant's (post-event) or a member's (needs)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied when answering, as on the sign-in sheet.
    name = models.CharField("氏名", max_length=100)
    organization_name = models.CharField("団体名", max_length=200, blank=True)
    # {question id (str): value, "<id>_other": text}, as an inquiry's answer data.
    data = models.JSONField("回答", default=dict)
    submitted_at = models.DateTimeField("回答日時", auto_now_add=True)

    class Meta:
        verbose_name = "アンケートの回答"
        verbose_name_plural = "アンケートの回答"
        ordering = ["questionnaire_id", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "registration"],
                condition=Q(registration__isnull=False),
                name="events_one_answer_per_registration",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "user"],
                condition=Q(registration__isnull=True, user__isnull=False),
                name="events_one_needs_answer_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.name}"
