"""Inquiries (照会): questions sent to member organizations, one answer from each."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# The kinds live with the registry in core; inquiries' code keeps importing them from here.
from renkei.core.question_kinds.definitions import (  # noqa: F401 (re-exported)
    NO,
    OTHER_CHOICE,
    YES,
    QuestionKind,
)
from renkei.directory.models import Organization
from renkei.inquiries.hidden_order import HiddenOrderField


class InquiryStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    REVIEW = "review", "審査中"
    OPEN = "open", "回答受付中"
    CLOSED = "closed", "締切"
    PUBLISHED = "published", "結果公開"
    REJECTED = "rejected", "差戻し"


class ResultsVisibility(models.TextChoices):
    NOBODY_ELSE = "nobody_else", "事務局と照会団体のみ"
    ANSWERING = "answering", "回答した団体"
    MEMBERS_ONLY = "members_only", "全会員団体（オブザーバーには公開しない）"
    # Observers (e.g. 総務省) read what members read; the label says so before anyone picks it.
    MEMBERS = (
        "members",
        "全会員団体とオブザーバー（総務省など。各団体の回答が団体名付きで見えます）",
    )


class Inquiry(models.Model):
    """One inquiry with its questions, targets and lifecycle."""

    title = models.CharField("件名", max_length=200)
    purpose = models.TextField("趣旨", blank=True)
    contact = models.TextField("問い合わせ先", blank=True)
    requester = models.ForeignKey(
        Organization,
        verbose_name="照会団体",
        on_delete=models.PROTECT,
        related_name="requested_inquiries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状態",
        max_length=20,
        choices=InquiryStatus.choices,
        default=InquiryStatus.DRAFT,
        db_index=True,
    )
    deadline = models.DateTimeField("回答期限", null=True, blank=True)
    requires_confirmation = models.BooleanField("所属長確認を必須とする", default=False)
    results_visibility = models.CharField(
        "結果の公開範囲",
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.ANSWERING,
    )
    hide_names = models.BooleanField("団体名を伏せて公開する", default=False)
    reminder_business_days = models.PositiveSmallIntegerField(
        "自動督促（期限の何営業日前）", null=True, blank=True, default=2
    )
    auto_reminder_sent_at = models.DateTimeField("自動督促の送信日時", null=True, blank=True)
    target_description = models.CharField("照会先", max_length=255, blank=True)
    # How the targets are chosen until the inquiry opens; see services.inquiry_targets_set.
    target_spec = models.JSONField("照会先の条件", default=dict, blank=True)
    review_note = models.TextField("審査コメント", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="審査者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("審査日時", null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name="複製元",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    opened_at = models.DateTimeField("開始日時", null=True, blank=True)
    closed_at = models.DateTimeField("締切日時", null=True, blank=True)
    published_at = models.DateTimeField("公開日時", null=True, blank=True)

    class Meta:
        verbose_name = "照会"
        verbose_name_plural = "照会"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class InquiryAttachment(models.Model):
    """A document (資料) attached to an inquiry."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("ファイル", upload_to="inquiries/attachments/%Y/%m/")
    name = models.CharField("ファイル名", max_length=255)
    size = models.PositiveIntegerField("サイズ", default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "資料"
        verbose_name_plural = "資料"
        ordering = ["inquiry", "id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One question of an inquiry."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("順番", default=0)
    # A stable label such as "Q1", used to compare the same question across years.
    code = models.CharField("設問番号", max_length=20)
    kind = models.CharField("形式", max_length=20, choices=QuestionKind.choices)
    text = models.TextField("設問")
    help_text = models.TextField("補足説明", blank=True)
    required = models.BooleanField("必須", default=True)
    choices = models.JSONField("選択肢", default=list, blank=True)
    allow_other = models.BooleanField("「その他（自由記述）」を設ける", default=False)
    unit = models.CharField("単位", max_length=20, blank=True)
    table_rows = models.JSONField("表の行", default=list, blank=True)
    table_columns = models.JSONField("表の列", default=list, blank=True)
    table_numeric = models.BooleanField("表の値は数値", default=True)
    condition_question = models.ForeignKey(
        "self",
        verbose_name="表示条件の設問",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
    )
    condition_value = models.CharField("表示条件の回答", max_length=200, blank=True)

    class Meta:
        verbose_name = "設問"
        verbose_name_plural = "設問"
        ordering = ["inquiry", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "code"], name="question_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"

    @property
    def options(self) -> list[str]:
        """Return the values a choice question accepts, as its kind's class says."""
        # Imported here: the registry imports these models.
        from renkei.core.question_kinds import kind_of

        return kind_of(self).options(self)


class Target(models.Model):
    """An organization asked to answer; fixed when the inquiry opens."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="targets"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "照会先"
        verbose_name_plural = "照会先"
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "organization"], name="target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.organization}"


def new_answer_link_nonce() -> str:
    """Return the random part of an answer link, so no link can be derived from another."""
    return secrets.token_urlsafe(16)


class AnswerLink(models.Model):
    """A link that lets an organization answer one inquiry without an account.

    Mailed to the organization's notification addresses. The address carries a signed
    (id, nonce) pair (mailings.answer_link_token); the link works while the inquiry is open
    and its deadline, extended or not, has not passed, until the secretariat revokes it.
    """

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="answer_links"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_answer_link_nonce, editable=False)
    created_at = models.DateTimeField("発行日時", auto_now_add=True)
    revoked_at = models.DateTimeField("取消日時", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取消者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最終利用日時", null=True, blank=True)

    class Meta:
        verbose_name = "回答用リンク"
        verbose_name_plural = "回答用リンク"
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "organization"],
                condition=Q(revoked_at__isnull=True),
                name="answer_link_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.organization}"


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", "作成中"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "所属長確認待ち"
    CONFIRMED = "confirmed", "確認済み"
    SUBMITTED = "submitted", "提出済み"


class AnswerKind(models.TextChoices):
    ANSWERED = "answered", "回答"
    NOT_APPLICABLE = "not_applicable", "該当なし"
    DECLINED = "declined", "回答辞退"


class Answer(models.Model):
    """The one answer of an organization to an inquiry; drafts and submissions alike."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="answers"
    )
    # The progress page joins each target organization to its answer through this name
    # (FilteredRelation); the directory itself never reads it.
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="inquiry_answers"
    )
    status = models.CharField(
        "状態",
        max_length=30,
        choices=AnswerStatus.choices,
        default=AnswerStatus.DRAFT,
        db_index=True,
    )
    kind = models.CharField(
        "回答区分", max_length=20, choices=AnswerKind.choices, default=AnswerKind.ANSWERED
    )
    reason = models.TextField("理由", blank=True)
    # {question id (str): value}; each kind's class in question_kinds defines its value.
    # Values by kind: single "choice"; multiple ["choice", ...];
    # yes_no "はい" or "いいえ"; number int or float; date "YYYY-MM-DD"; short_text and
    # long_text "text"; table {"row": {"column": value}} (numbers when table_numeric, None
    # for an empty cell); file [{"id": AnswerFile id, "name": "file name"}]. The free text of
    # 「その他」 (single and multiple with allow_other) is under "<question id>_other".
    # Questions hidden by their condition and unanswered ones are absent.
    data = models.JSONField("回答内容", default=dict, blank=True)
    # Bumped on every save; a save based on an older version is refused (no lost updates).
    revision = models.PositiveIntegerField("版", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最終更新者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最終更新", auto_now=True)
    confirmation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認依頼者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmation_requested_at = models.DateTimeField("確認依頼日時", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    by_proxy = models.BooleanField("代理入力", default=False)
    # The organization's place in the inquiry's results when names are hidden (団体A …):
    # hidden_order_key(inquiry, organization), computed whenever the row is saved.
    hidden_order = HiddenOrderField("非表示時の並び順")

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "organization"], name="answer_one_per_org")
        ]
        indexes = [
            # The compilation page's cache key reads an open inquiry's latest answer change.
            models.Index(fields=["inquiry", "updated_at"], name="answer_inquiry_updated"),
            # The matrix with names hidden walks an inquiry's answers in this order (a page
            # reads its rows and stops) and counts those before a row for its 団体 label.
            models.Index(
                fields=["inquiry", "hidden_order", "organization"],
                name="answer_inquiry_hidden_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.organization}"


class AnswerVersion(models.Model):
    """A submitted version of an answer; every submission and correction is kept."""

    answer = models.ForeignKey(
        Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版番号")
    kind = models.CharField("回答区分", max_length=20, choices=AnswerKind.choices)
    reason = models.TextField("理由", blank=True)
    data = models.JSONField("回答内容", default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提出日時")
    by_proxy = models.BooleanField("代理入力", default=False)

    class Meta:
        verbose_name = "回答の版"
        verbose_name_plural = "回答の版"
        ordering = ["answer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="answer_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.answer} 第{self.number}版"


class AnswerFile(models.Model):
    """A file uploaded as the answer to a file question."""

    answer = models.ForeignKey(
        Answer, verbose_name="回答", on_delete=models.CASCADE, related_name="files"
    )
    question = models.ForeignKey(
        Question, verbose_name="設問", on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField("ファイル", upload_to="inquiries/answers/%Y/%m/")
    name = models.CharField("ファイル名", max_length=255)
    size = models.PositiveIntegerField("サイズ", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "回答ファイル"
        verbose_name_plural = "回答ファイル"

    def __str__(self) -> str:
        return self.name


class ReminderKind(models.TextChoices):
    AUTOMATIC = "automatic", "自動"
    MANUAL = "manual", "手動"


class Reminder(models.Model):
    """A reminder (督促) sent to organizations that had not submitted."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("種類", max_length=20, choices=ReminderKind.choices)
    organizations = models.ManyToManyField(
        Organization, verbose_name="送信先団体", related_name="+"
    )
    message_count = models.PositiveIntegerField("送信メール数", default=0)
    # The background mailing that renders the reminder; message_count is its final count.
    mailing = models.ForeignKey(
        "Mailing", null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField("送信日時", auto_now_add=True)

    class Meta:
        verbose_name = "督促"
        verbose_name_plural = "督促"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.get_kind_display()}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "待機中"
    RUNNING = "running", "作成中"
    DONE = "done", "完了"
    FAILED = "failed", "失敗"


class Export(models.Model):
    """A compiled file made in the background, with its progress."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="exports"
    )
    format = models.CharField("形式", max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "状態", max_length=20, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("進捗（％）", default=0)
    file = models.FileField("ファイル", upload_to="inquiries/exports/%Y/%m/", blank=True)
    error = models.TextField("エラー", blank=True)
    # What the requester should know about a finished file (e.g. characters Shift_JIS lacks).
    notes = models.TextField("お知らせ", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "出力ファイル"
        verbose_name_plural = "出力ファイル"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.format}"


class MailingStatus(models.TextChoices):
    PENDING = "pending", "待機中"
    RUNNING = "running", "作成中"
    DONE = "done", "完了"
    FAILED = "failed", "失敗"


MAILING_LABELS = {
    "inquiry_opened": "照会の送信",
    "inquiry_deadline_extended": "回答期限延長のお知らせ",
    "inquiry_results_published": "結果公開のお知らせ",
    "inquiry_reminder": "督促",
}


class Mailing(models.Model):
    """A notice to target organizations (opening, reminder, results …) rendered in the background.

    One row per mass mail; the task renders it organization by organization and records how
    far it got in the same transaction as the messages, so a worker that dies resumes where
    the last one stopped and no organization is mailed twice.
    """

    inquiry = models.ForeignKey(
        Inquiry, verbose_name="照会", on_delete=models.CASCADE, related_name="mailings"
    )
    template = models.CharField("メールの種類", max_length=60)
    organization_ids = models.JSONField("送信先団体", default=list)
    links = models.BooleanField("回答用リンクを含む", default=False)
    extra = models.JSONField("差し込み", default=dict, blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=MailingStatus.choices, default=MailingStatus.PENDING
    )
    # len(organization_ids), kept apart so the progress box never loads the id list.
    organizations_total = models.PositiveIntegerField("送信先団体数", default=0)
    organizations_done = models.PositiveIntegerField("処理済み団体数", default=0)
    message_count = models.PositiveIntegerField("作成したメール数", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("依頼日時", auto_now_add=True)
    # Written with every chunk: a RUNNING mailing whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField("最終処理日時", null=True, blank=True)
    finished_at = models.DateTimeField("完了日時", null=True, blank=True)

    class Meta:
        verbose_name = "通知メール"
        verbose_name_plural = "通知メール"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.template}"

    @property
    def label(self) -> str:
        return MAILING_LABELS.get(self.template, self.template)

    @property
    def progress(self) -> int:
        """Return the share of organizations done, in percent."""
        total = self.organizations_total
        return 100 if not total else self.organizations_done * 100 // total
