"""Group mailing lists (メーリングリスト): a list per group, its messages and their archive.

A list belongs to one directory group (役員会, a working group) and has its own address,
`<local_part>@RENKEI["LIST_DOMAIN"]`. Every message, posted on the web or received by
mail, is stored here first and then mailed through the outbox to every member, one copy per
recipient. Messages are threaded by In-Reply-To / References; a message from a non-member
waits as HELD until a moderator approves (publishes and mails it) or rejects it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from renkei.core.attachments import AttachedFile
from renkei.directory.models import Group, Person

THREADS_PER_PAGE = 30
MESSAGES_PER_PAGE = 50
MAX_DEPTH = 10


def list_domain() -> str:
    """Return the mail domain of list addresses (RENKEI["LIST_DOMAIN"])."""
    return settings.RENKEI["LIST_DOMAIN"].lower()


class NonMemberPolicy(models.TextChoices):
    HOLD = "hold", "保留して管理者が承認する"
    REFUSE = "refuse", "受け付けない（送信者にエラーを返す）"


class MailingList(models.Model):
    """The list of one group: its address, who moderates it, what happens to outsiders' mail."""

    group = models.OneToOneField(
        Group, verbose_name="グループ", on_delete=models.PROTECT, related_name="mailing_list"
    )
    local_part = models.SlugField(
        "アドレス（@より前）",
        max_length=60,
        unique=True,
        help_text="半角英小文字・数字・ハイフン。例: yakuin",
    )
    subject_prefix = models.CharField("件名の接頭辞", max_length=40, blank=True)
    description = models.TextField("説明", blank=True)
    nonmember_policy = models.CharField(
        "構成員以外からのメール",
        max_length=10,
        choices=NonMemberPolicy.choices,
        default=NonMemberPolicy.HOLD,
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="管理者（モデレーター）",
        blank=True,
        related_name="moderated_lists",
    )
    is_active = models.BooleanField("利用中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "メーリングリスト"
        verbose_name_plural = "メーリングリスト"
        ordering = ["local_part"]

    def __str__(self) -> str:
        return self.address

    def get_absolute_url(self) -> str:
        return reverse("lists:archive", args=[self.pk])

    @property
    def address(self) -> str:
        return f"{self.local_part}@{list_domain()}"

    @property
    def list_id(self) -> str:
        """Return the RFC 2919 list identifier (`yakuin.lists.example.lg.jp`)."""
        return f"{self.local_part}.{list_domain()}"


class ListThread(models.Model):
    """A thread of the archive: a first message and every reply to it."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField("件名", max_length=255)
    started_at = models.DateTimeField()
    last_message_at = models.DateTimeField(db_index=True)
    message_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "スレッド"
        verbose_name_plural = "スレッド"
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["mailing_list", "-last_message_at", "-id"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("lists:thread", args=[self.pk])


class MessageStatus(models.TextChoices):
    PUBLISHED = "published", "配信済み"
    HELD = "held", "承認待ち"
    REJECTED = "rejected", "却下"


class MessageSource(models.TextChoices):
    WEB = "web", "サイトから投稿"
    MAIL = "mail", "メールで投稿"


class ListMessage(models.Model):
    """One message of a list, with the headers that thread it."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="messages")
    thread = models.ForeignKey(
        ListThread, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    status = models.CharField(
        "状態", max_length=10, choices=MessageStatus.choices, default=MessageStatus.PUBLISHED
    )
    source = models.CharField("投稿方法", max_length=10, choices=MessageSource.choices)
    # The Message-ID as received (or made up for a web post), with its angle brackets.
    message_id = models.CharField("Message-ID", max_length=255, db_index=True)
    in_reply_to = models.CharField("In-Reply-To", max_length=255, blank=True)
    references = models.TextField("References", blank=True)
    # How many replies deep in its thread (0 for the first message, at most MAX_DEPTH), set
    # when published, so a page of a thread indents without reading the whole thread.
    depth = models.PositiveSmallIntegerField(default=0)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="投稿者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_messages",
    )
    sender_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_name = models.CharField("差出人名", max_length=200, blank=True)
    from_email = models.EmailField("差出人アドレス", max_length=254)
    subject = models.CharField("件名", max_length=255)
    body = models.TextField("本文")
    # The body as the archive shows it (escaped, links made clickable, line breaks kept):
    # drawn once when the message is stored, not on every view of a long thread.
    body_html = models.TextField("本文（表示用）", blank=True, editable=False)
    # Set when the body came from an HTML-only message (converted to text, markup removed).
    converted_from_html = models.BooleanField(default=False)
    mailer = models.CharField("送信ソフト", max_length=200, blank=True)
    size = models.PositiveIntegerField("サイズ（バイト）", default=0)
    created_at = models.DateTimeField("受付日時", auto_now_add=True, db_index=True)
    published_at = models.DateTimeField("配信日時", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "メッセージ"
        verbose_name_plural = "メッセージ"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["mailing_list", "message_id"]),
            models.Index(fields=["thread", "status", "published_at", "id"]),
            models.Index(fields=["mailing_list", "status"]),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("lists:message", args=[self.pk])


def attachment_path(instance: "ListAttachment", filename: str) -> str:
    return f"lists/{instance.message.mailing_list_id}/{instance.message_id}/{filename}"


class ListAttachment(AttachedFile):
    """A file of a message, checked by renkei.core.files.validate_upload."""

    message = models.ForeignKey(ListMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)

    class Meta(AttachedFile.Meta):
        ordering = ["message", "id"]


class MailOptOut(models.Model):
    """A member who reads the list on the web only and receives no copies by mail."""

    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "メール配信停止"
        verbose_name_plural = "メール配信停止"
        constraints = [
            models.UniqueConstraint(fields=["mailing_list", "person"], name="list_optout_unique")
        ]

    def __str__(self) -> str:
        return f"{self.mailing_list_id}: {self.person_id}"
