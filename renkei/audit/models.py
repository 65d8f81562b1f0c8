"""The audit log: who did what to which record, and when."""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    LOGIN_SUCCEEDED = "login_succeeded", "ログイン成功"
    LOGIN_FAILED = "login_failed", "ログイン失敗"
    LOGOUT = "logout", "ログアウト"
    PASSWORD_RESET = "password_reset", "パスワード再設定"
    MFA_ENABLED = "mfa_enabled", "二要素認証の有効化"
    MFA_DISABLED = "mfa_disabled", "二要素認証の無効化"
    INVITATION_SENT = "invitation_sent", "招待の送信"
    INVITATION_ACCEPTED = "invitation_accepted", "招待の承諾"
    INVITATION_REVOKED = "invitation_revoked", "招待の取消"
    ROLE_CHANGED = "role_changed", "権限の変更"
    USER_DEACTIVATED = "user_deactivated", "利用停止"
    USER_REACTIVATED = "user_reactivated", "利用再開"
    PERSON_TRANSFERRED = "person_transferred", "人事異動"
    MEMBERSHIP_CHANGED = "membership_changed", "会員資格の変更"
    RECORD_VIEWED = "record_viewed", "閲覧"
    EXPORTED = "exported", "出力"
    PROXY_ENTRY = "proxy_entry", "代理入力"
    ANSWER_LINK_USED = "answer_link_used", "回答用リンクの利用"
    ANSWER_LINK_REVOKED = "answer_link_revoked", "回答用リンクの取消"
    ANSWER_LINK_ISSUED = "answer_link_issued", "回答用リンクの再発行"
    CREATED = "created", "作成"
    CHANGED = "changed", "変更"
    DELETED = "deleted", "削除"
    REMINDER_SENT = "reminder_sent", "督促"
    ANSWER_SAVED = "answer_saved", "回答の保存"
    CONFIRMATION_REQUESTED = "confirmation_requested", "所属長確認の依頼"
    ANSWER_CONFIRMED = "answer_confirmed", "所属長確認"
    ANSWER_SUBMITTED = "answer_submitted", "回答の提出"
    STATUS_CHANGED = "status_changed", "状態の変更"


class AuditEvent(models.Model):
    """One entry of the audit log; never edited after it is written."""

    created_at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="実行者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the log still reads after a user is deleted, and for failed logins.
    actor_username = models.CharField("ユーザーID", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40, choices=Action.choices, db_index=True)
    target_type = models.CharField("対象の種類", max_length=60, blank=True)
    target_id = models.CharField("対象ID", max_length=60, blank=True)
    target_label = models.CharField("対象", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("IPアドレス", null=True, blank=True)
    detail = models.JSONField("詳細", default=dict, blank=True)

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()}"
