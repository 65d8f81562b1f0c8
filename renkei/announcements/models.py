"""お知らせ and their e-mail deliveries: who an announcement is for, and each time it was sent."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from renkei.directory.models import Group, OrganizationKind
from renkei.directory.prefectures import PREFECTURES


class AnnouncementKind(models.TextChoices):
    # A notice the council must send: it reaches everyone in the audience, always.
    NOTICE = "notice", "お知らせ（必ず届けるもの）"
    # An optional newsletter: recipients may unsubscribe.
    NEWSLETTER = "newsletter", "メールマガジン（配信停止できるもの）"


class AudienceKind(models.TextChoices):
    ALL_MEMBERS = "all", "全会員団体"
    GROUP = "group", "グループ"
    ORGANIZATION_KIND = "kind", "団体の種別"
    PREFECTURE = "prefecture", "都道府県"
    EXTERNAL_ONLY = "external", "会員外の送付先のみ"


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    SCHEDULED = "scheduled", "公開予約"
    PUBLISHED = "published", "公開済み"


class Announcement(models.Model):
    """One お知らせ of the secretariat, shown in 新着情報 and optionally sent by e-mail."""

    title = models.CharField("件名", max_length=200)
    body = models.TextField("本文", help_text="見出し・箇条書き・リンクなどの書式が使えます。")
    kind = models.CharField(
        "種類", max_length=20, choices=AnnouncementKind.choices, default=AnnouncementKind.NOTICE
    )
    audience = models.CharField(
        "対象", max_length=20, choices=AudienceKind.choices, default=AudienceKind.ALL_MEMBERS
    )
    audience_group = models.ForeignKey(
        Group,
        verbose_name="対象グループ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    # Stored as ",city,town," so that "is my organization's kind in it?" is one LIKE on any
    # database (JSON containment is not portable to SQLite).
    audience_kinds = models.CharField("対象の団体種別", max_length=200, blank=True)
    audience_prefectures = models.CharField("対象の都道府県", max_length=200, blank=True)
    include_external = models.BooleanField(
        "会員外の送付先にも送る",
        default=False,
        help_text="事務局が登録した会員外の送付先（加入を呼びかける市町村など）にもメールを送ります。",
    )
    send_mail = models.BooleanField("メールでも配信する", default=True)
    status = models.CharField(
        "状態",
        max_length=20,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
        db_index=True,
    )
    scheduled_at = models.DateTimeField("公開予定日時", null=True, blank=True)
    # Who scheduled it: the publication at the scheduled time is done in their name.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="予約者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("公開日時", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="announce_status_pub")]

    def __str__(self) -> str:
        return self.title

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.audience_kinds.split(",") if k]

    @property
    def prefectures(self) -> list[str]:
        return [p for p in self.audience_prefectures.split(",") if p]

    @property
    def is_newsletter(self) -> bool:
        return self.kind == AnnouncementKind.NEWSLETTER

    def audience_label(self) -> str:
        """Describe the audience in Japanese, as the confirmation page and the list show it."""
        if self.audience == AudienceKind.GROUP and self.audience_group_id:
            label = f"グループ「{self.audience_group}」"
        elif self.audience == AudienceKind.ORGANIZATION_KIND:
            kinds = [str(OrganizationKind(k).label) for k in self.kinds]
            label = "会員団体（" + "・".join(kinds) + "）"
        elif self.audience == AudienceKind.PREFECTURE:
            names = [PREFECTURES.get(code, code) for code in self.prefectures]
            label = "会員団体（" + "・".join(names) + "）"
        else:
            label = str(AudienceKind(self.audience).label)
        if self.include_external and self.audience != AudienceKind.EXTERNAL_ONLY:
            label += "＋会員外の送付先"
        return label


class AnnouncementAttachment(models.Model):
    """A file attached to an announcement, downloaded through the app after its access check."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("ファイル", upload_to="announcements/attachments/%Y/%m/")
    name = models.CharField("ファイル名", max_length=255)
    size = models.PositiveIntegerField("サイズ", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ExternalContact(models.Model):
    """A non-member address the secretariat mails (a town invited to a seminar, say)."""

    name = models.CharField("氏名・宛名", max_length=100, blank=True)
    organization_name = models.CharField("団体名", max_length=100, blank=True)
    email = models.EmailField("メールアドレス")
    note = models.CharField("備考", max_length=200, blank=True)
    is_active = models.BooleanField("送付する", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会員外の送付先"
        verbose_name_plural = "会員外の送付先"
        ordering = ["organization_name", "name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="external_contact_email_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.name} <{self.email}>"


class DeliveryStatus(models.TextChoices):
    PREPARING = "preparing", "宛先を準備中"
    QUEUED = "queued", "送信処理中"
    FAILED = "failed", "準備に失敗"


class Delivery(models.Model):
    """One e-mail delivery of an announcement: counted once per fiscal year (「25回配信」)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="deliveries"
    )
    started_at = models.DateTimeField("配信日時", db_index=True)
    fiscal_year = models.PositiveSmallIntegerField("年度", db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="配信者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状態", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PREPARING
    )
    recipient_count = models.PositiveIntegerField("宛先数", default=0)
    unsubscribed_count = models.PositiveIntegerField("配信停止で除いた数", default=0)

    class Meta:
        verbose_name = "メール配信"
        verbose_name_plural = "メール配信"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.announcement} ({self.started_at:%Y-%m-%d})"

    @property
    def topic(self) -> str:
        """Return the outbox topic that tags this delivery's messages."""
        return f"announcement-delivery:{self.pk}"


class NewsletterOptOut(models.Model):
    """An address that asked to receive no more optional newsletters."""

    email = models.EmailField("メールアドレス")
    created_at = models.DateTimeField("配信停止日時", auto_now_add=True)

    class Meta:
        verbose_name = "メールマガジン配信停止"
        verbose_name_plural = "メールマガジン配信停止"
        constraints = [models.UniqueConstraint(Lower("email"), name="newsletter_optout_unique")]

    def __str__(self) -> str:
        return self.email


class AnnouncementRead(models.Model):
    """That a person has opened an announcement: its 未読 marker is gone for them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="利用者",
        on_delete=models.CASCADE,
        related_name="announcement_reads",
    )
    announcement = models.ForeignKey(
        Announcement, verbose_name="お知らせ", on_delete=models.CASCADE, related_name="reads"
    )
    read_at = models.DateTimeField("既読日時", auto_now_add=True)

    class Meta:
        verbose_name = "お知らせの既読"
        verbose_name_plural = "お知らせの既読"
        constraints = [
            models.UniqueConstraint(fields=["user", "announcement"], name="announcement_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.announcement_id}"
