"""The outbox: every e-mail Renkei sends is stored here first, one row per recipient."""

import uuid

from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "送信待ち"
    SENDING = "sending", "送信中"
    SENT = "sent", "送信済み"
    FAILED = "failed", "送信失敗"
    # The server took it, then a bounce came back to its VERP return path.
    BOUNCED = "bounced", "不達（エラー返送）"


class OutboxMessage(models.Model):
    """One e-mail to one recipient, with its delivery state."""

    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    message_id = models.UUIDField("メッセージID", default=uuid.uuid4, unique=True, editable=False)
    template = models.CharField("テンプレート", max_length=100, blank=True)
    topic = models.CharField("用件", max_length=100, blank=True, db_index=True)
    to_email = models.EmailField("宛先")
    to_name = models.CharField("宛名", max_length=100, blank=True)
    subject = models.CharField("件名", max_length=255)
    body_text = models.TextField("本文")
    body_html = models.TextField("HTML本文", blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)
    next_attempt_at = models.DateTimeField("次回試行", null=True, blank=True)
    # The claim of the worker sending it: claimed_at tells that worker's claim from a later
    # one, and once lease_until has passed without an outcome the message is sent again.
    claimed_at = models.DateTimeField("送信開始", null=True, blank=True)
    lease_until = models.DateTimeField("再送期限", null=True, blank=True)
    last_error = models.TextField("直近のエラー", blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    # Extra headers of this recipient's copy (List-Unsubscribe with its own signed link).
    headers = models.JSONField("追加ヘッダー", default=dict, blank=True)
    bounced_at = models.DateTimeField("エラー返送日時", null=True, blank=True)
    # Small files sent with the message (an invitation's .ics): a list of
    # {"filename", "content_type", "content"} with the content in base64. Kept in the row so
    # the worker sends a message from one read; `mail_queue` limits their size.
    attachments = models.JSONField("添付ファイル", default=list, blank=True)

    class Meta:
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class FailingAddress(models.Model):
    """An address whose mail bounced: the secretariat sees it, features may skip it."""

    email = models.EmailField("メールアドレス", unique=True)
    bounce_count = models.PositiveIntegerField("エラー返送の回数", default=0)
    first_bounced_at = models.DateTimeField("最初のエラー返送", auto_now_add=True)
    last_bounced_at = models.DateTimeField("直近のエラー返送")
    last_diagnostic = models.TextField("直近のエラー内容", blank=True)

    class Meta:
        verbose_name = "不達アドレス"
        verbose_name_plural = "不達アドレス"
        ordering = ["-last_bounced_at"]

    def __str__(self) -> str:
        return self.email
