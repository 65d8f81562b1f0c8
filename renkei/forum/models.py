"""The e-conference room (電子会議室): boards, threads, posts and who follows and reads them.

A board may be restricted to a directory group (役員会, a working group): such a private
board is visible to that group's members and the secretariat only. Group mailing lists are
built on the same records later (a list is a private board whose posts are also mailed).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Value
from django.urls import reverse

from renkei.core.attachments import AttachedFile
from renkei.directory.models import Group, Organization

# Posts shown per page of a thread; the permalink of post N points at its page.
POSTS_PER_PAGE = 30
THREADS_PER_PAGE = 30

# Threads or posts not hidden, written `is_hidden = false`: Django writes `is_hidden=False` as
# `NOT is_hidden`, which SQLite's planner does not treat as an equality, so it could use only
# the first column of an index (board, is_hidden, …) and sorted every thread of a board for a
# page of 30. PostgreSQL reads both forms alike.
NOT_HIDDEN = Q(is_hidden=Value(False))


class Board(models.Model):
    """A category the secretariat sets up; optionally private to one group."""

    name = models.CharField("会議室名", max_length=100)
    description = models.TextField("説明", blank=True)
    group = models.ForeignKey(
        Group,
        verbose_name="参加できるグループ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forum_boards",
        help_text="選ぶと、そのグループの構成員と事務局だけが読み書きできる非公開の会議室になります。",
    )
    position = models.PositiveIntegerField("表示順", default=0)
    is_active = models.BooleanField("利用中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会議室"
        verbose_name_plural = "会議室"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:board", args=[self.pk])


class Thread(models.Model):
    """A topic on a board; optionally the discussion of another record (an inquiry, a meeting)."""

    board = models.ForeignKey(
        Board, verbose_name="会議室", on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField("題名", max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作成者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by the services so that board pages sort and count without joining posts.
    last_post_at = models.DateTimeField(db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField("ピン留め", default=False)
    is_locked = models.BooleanField("ロック", default=False)
    is_hidden = models.BooleanField("非表示", default=False)
    # The record this thread discusses, if any.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # fold_for_search(title): searched with LIKE, so 2-character words match.
    search_text = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = "スレッド"
        verbose_name_plural = "スレッド"
        indexes = [
            # The board page (board, not hidden, pinned first, latest) and counts per board.
            models.Index(
                fields=["board", "is_hidden", "-is_pinned", "-last_post_at", "-id"],
                name="forum_thread_board_order",
            ),
            # The 新着情報 feed: each board holding something the user follows, newest first,
            # read until enough threads are found (renkei.forum.selectors.followed_thread_news).
            models.Index(
                fields=["board", "is_hidden", "-last_post_at", "-id"],
                name="forum_thread_board_latest",
            ),
            models.Index(
                fields=["is_hidden"], condition=Q(is_hidden=True), name="forum_thread_hidden"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(subject_type__isnull=False),
                name="forum_one_discussion_per_record",
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="forum_subject_type_and_id_together",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", args=[self.pk])


class Post(models.Model):
    """One message of a thread, numbered from 1; its Markdown is rendered once, when written."""

    thread = models.ForeignKey(
        Thread, verbose_name="スレッド", on_delete=models.CASCADE, related_name="posts"
    )
    # The thread's board, kept here (and moved with the thread) so that counts per board and
    # the search read posts alone, without joining threads.
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("番号")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="投稿者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    author_name = models.CharField("投稿者名", max_length=100)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField("本文")
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField("非表示", default=False)
    hidden_reason = models.CharField("非表示の理由", max_length=200, blank=True)
    # fold_for_search() of the thread's title and of the body, one per line: the search matches
    # title and text with one LIKE on this column.
    search_text = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = "投稿"
        verbose_name_plural = "投稿"
        ordering = ["thread", "number"]
        # Counts per board and fiscal year read this index alone.
        indexes = [
            models.Index(
                fields=["board", "is_hidden", "created_at"], name="forum_post_board_counts"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="forum_post_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", args=[self.pk])


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField("本文")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When this text was replaced.
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "投稿の編集履歴"
        verbose_name_plural = "投稿の編集履歴"
        ordering = ["post", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} ({self.replaced_at:%Y-%m-%d %H:%M})"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"forum/{instance.post.thread_id}/{filename}"


class Attachment(AttachedFile):
    """A file attached to a post, checked by renkei.core.files.validate_upload."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)

    class Meta(AttachedFile.Meta):
        ordering = ["post", "id"]


class DeliveryMode(models.TextChoices):
    EACH_POST = "each", "投稿ごとにメールで受け取る"
    DAILY_DIGEST = "digest", "1日分をまとめて受け取る（ダイジェスト）"
    NONE = "none", "メールは受け取らない（サイト内のお知らせのみ）"


class Follow(models.Model):
    """A user following a thread or a whole board."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_follows"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "フォロー"
        verbose_name_plural = "フォロー"
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, board__isnull=True)
                | Q(thread__isnull=True, board__isnull=False),
                name="forum_follow_thread_xor_board",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="forum_follow_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=Q(board__isnull=False),
                name="forum_follow_board_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.thread or self.board}"


class Preference(models.Model):
    """How a user wants to hear of new posts in what they follow."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="forum_preference",
    )
    delivery = models.CharField(
        "メール通知", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.EACH_POST
    )
    # The newest post already sent in a digest; the next digest starts after it.
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "電子会議室の通知設定"
        verbose_name_plural = "電子会議室の通知設定"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class ReadMarker(models.Model):
    """The highest post number of a thread the user has seen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_markers"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    last_read_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_read_marker_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.thread} #{self.last_read_number}"


class AbuseReport(models.Model):
    """A member's report that a post is abusive or out of place, for the secretariat."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("理由")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField("対応", max_length=200, blank=True)

    class Meta:
        verbose_name = "不適切な投稿の報告"
        verbose_name_plural = "不適切な投稿の報告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason[:30]}"
