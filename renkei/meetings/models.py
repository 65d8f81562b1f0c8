"""Meetings (会議): invitees, replies, attendance, agenda, materials; minutes (会議録) and versions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from renkei.directory.models import Group, Organization, Person


class MeetingKind(models.TextChoices):
    GENERAL = "general", "総会"
    BOARD = "board", "役員会"
    BOARD_HANDOVER = "board_handover", "新旧役員会"
    EXCHANGE = "exchange", "情報交換会議"
    COMMITTEE = "committee", "委員会"
    SECRETARIES = "secretaries", "幹事会"
    WORKING_GROUP = "working_group", "部会・ワーキンググループ"
    OTHER = "other", "その他の会議"


class MeetingScope(models.TextChoices):
    MEMBERS = "members", "会員に公開"
    BOARD = "board", "役員・事務局のみ（招集者を含む）"
    INVITEES = "invitees", "招集者のみ"


class Meeting(models.Model):
    """One meeting of the council (group is empty) or of a group (委員会, 幹事会, WG)."""

    title = models.CharField("会議名", max_length=200)
    kind = models.CharField("種類", max_length=20, choices=MeetingKind.choices, db_index=True)
    group = models.ForeignKey(
        Group,
        verbose_name="主催（グループ）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="空欄のときは協議会（本会）の会議です。",
    )
    starts_at = models.DateTimeField("開始日時", db_index=True)
    ends_at = models.DateTimeField("終了日時", null=True, blank=True)
    venue = models.CharField("場所", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加用URL", blank=True)
    scope = models.CharField(
        "閲覧範囲", max_length=10, choices=MeetingScope.choices, default=MeetingScope.MEMBERS
    )
    notes = models.TextField("連絡事項", blank=True)
    audience_count = models.PositiveSmallIntegerField("傍聴者数", default=0)
    secretariat_attended = models.BooleanField("事務局出席", default=True)
    attendance_recorded_at = models.DateTimeField("出席記録日時", null=True, blank=True)
    invitations_sent_at = models.DateTimeField("招集通知送信日時", null=True, blank=True)
    # The calendar entry's SEQUENCE: raised when the date, time or place changes, so the
    # .ics of a change notice replaces the invitation's entry (same UID) in calendars.
    calendar_sequence = models.PositiveIntegerField("予定表の改版番号", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class InviteeCapacity(models.TextChoices):
    MEMBER = "member", "出席者"
    OBSERVER = "observer", "オブザーバ"


class Invitee(models.Model):
    """Who is called to a meeting: one person, a whole organization or a whole group."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    capacity = models.CharField(
        "区分", max_length=10, choices=InviteeCapacity.choices, default=InviteeCapacity.MEMBER
    )
    # How the attendance line counts them: 「役員」「情報交換会議出席者」「委員」.
    category = models.CharField("出席者の呼び方", max_length=50, default="出席者")

    class Meta:
        verbose_name = "招集者"
        verbose_name_plural = "招集者"
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, organization__isnull=True, group__isnull=True)
                    | Q(person__isnull=True, organization__isnull=False, group__isnull=True)
                    | Q(person__isnull=True, organization__isnull=True, group__isnull=False)
                ),
                name="meeting_invitee_one_kind",
            )
        ]

    def __str__(self) -> str:
        return str(self.person or self.organization or self.group)


class Reply(models.TextChoices):
    ATTEND = "attend", "出席"
    ABSENT = "absent", "欠席"
    DEPUTY = "deputy", "代理出席"


class Response(models.Model):
    """One person's reply (出欠) and, after the meeting, whether they attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reply = models.CharField("出欠", max_length=10, choices=Reply.choices, blank=True)
    deputy_name = models.CharField("代理出席者の氏名", max_length=100, blank=True)
    replied_at = models.DateTimeField("回答日時", null=True, blank=True)
    attended = models.BooleanField("出席", null=True, blank=True)
    capacity = models.CharField(
        "区分", max_length=10, choices=InviteeCapacity.choices, default=InviteeCapacity.MEMBER
    )
    category = models.CharField("出席者の呼び方", max_length=50, default="出席者")

    class Meta:
        verbose_name = "出欠"
        verbose_name_plural = "出欠"
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.person}"


class AgendaItem(models.Model):
    """One item of the 議事次第, in order; it may point at an inquiry discussed there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField("順番")
    title = models.CharField("議題", max_length=300)
    presenter = models.CharField("説明者", max_length=100, blank=True)
    presenter_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A generic link: meetings does not import the inquiries app (features stay independent).
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        verbose_name="関連する照会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


class MaterialSeries(models.TextChoices):
    MAIN = "main", "資料"
    ADDITIONAL = "additional", "追加資料"


class Material(models.Model):
    """A document handed out (配付資料), numbered per meeting: 資料1, 資料2, 追加資料1."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )
    series = models.CharField("区分", max_length=12, choices=MaterialSeries.choices)
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("資料名", max_length=200)
    file = models.FileField("ファイル", upload_to="meetings/materials/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "配付資料"
        verbose_name_plural = "配付資料"
        ordering = ["meeting", "series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "series", "number"], name="meeting_material_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        return f"{MaterialSeries(self.series).label}{self.number}"


class MeetingRequirement(models.Model):
    """How many meetings of a kind a body must hold in a fiscal year (役員会は年2回以上)."""

    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("種類", max_length=20, choices=MeetingKind.choices)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    required_count = models.PositiveSmallIntegerField("必要な開催回数")
    basis = models.CharField("根拠", max_length=200, blank=True)

    class Meta:
        verbose_name = "開催計画"
        verbose_name_plural = "開催計画"
        ordering = ["fiscal_year", "kind"]
        constraints = [
            # Two partial constraints: SQLite has no NULLS NOT DISTINCT for the council's row.
            models.UniqueConstraint(
                fields=["group", "kind", "fiscal_year"],
                condition=Q(group__isnull=False),
                name="meeting_requirement_unique_group",
            ),
            models.UniqueConstraint(
                fields=["kind", "fiscal_year"],
                condition=Q(group__isnull=True),
                name="meeting_requirement_unique_council",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}年度 {self.get_kind_display()} {self.required_count}回"


def new_feed_token() -> str:
    """Return an unguessable token for a personal calendar feed."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar address, for calendar programs that cannot log in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "予定表の配信"
        verbose_name_plural = "予定表の配信"

    def __str__(self) -> str:
        return f"予定表の配信（{self.user}）"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    CIRCULATED = "circulated", "出席者に回覧中"
    CONFIRMED = "confirmed", "確定"


class Publication(models.TextChoices):
    NONE = "none", "公開しない"
    MEMBERS = "members", "会員に公開"
    PUBLIC = "public", "一般に公開（ログイン不要）"


class Minutes(models.Model):
    """The record of a meeting (会議録), edited as sections and statements."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        "状態", max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField("版", default=1)
    # Why the present draft corrects a confirmed version; kept on that version when confirmed.
    correction_reason = models.CharField("訂正の理由", max_length=500, blank=True)
    title = models.CharField("表題", max_length=300)
    held_on_text = models.CharField("日時", max_length=100, blank=True)
    venue_text = models.CharField("場所", max_length=200, blank=True)
    attendance_text = models.TextField("出席者", blank=True)
    materials_text = models.TextField("配付資料", blank=True)
    # Lines the import could not place; shown to the secretariat until the next edit.
    unplaced = models.JSONField("未整理の行", default=list, blank=True)
    publication = models.CharField(
        "公開", max_length=10, choices=Publication.choices, default=Publication.NONE
    )
    published_at = models.DateTimeField("公開日時", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会議録"
        verbose_name_plural = "会議録"

    def __str__(self) -> str:
        return self.title


class SectionKind(models.TextChoices):
    OPENING = "opening", "開会"
    GREETING = "greeting", "挨拶"
    INTRODUCTION = "introduction", "出席者紹介"
    PROCEEDINGS = "proceedings", "議題"
    ITEM = "item", "議題の項目"
    OTHER = "other", "その他"
    CLOSING = "closing", "閉会"


class Resolution(models.TextChoices):
    NONE = "", "（なし）"
    APPROVED = "approved", "原案のとおり承認"
    AMENDED = "amended", "修正のうえ承認"
    CONTINUED = "continued", "継続審議"
    NOTED = "noted", "報告了承"


class Section(models.Model):
    """One section of the minutes; an agenda item holds explanation, statements, resolution."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField("順番")
    kind = models.CharField("種類", max_length=15, choices=SectionKind.choices)
    heading = models.CharField("見出し", max_length=300)
    body = models.TextField("本文・説明", blank=True)
    resolution = models.CharField(
        "結果", max_length=12, choices=Resolution.choices, blank=True, db_index=True
    )
    resolution_text = models.CharField("結果の文", max_length=500, blank=True)

    class Meta:
        verbose_name = "会議録の節"
        verbose_name_plural = "会議録の節"
        ordering = ["minutes", "position"]

    def __str__(self) -> str:
        return self.heading


class Statement(models.Model):
    """One speaker's words in a question and answer (「(多治見市)」「(事務局)」)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField("順番")
    speaker = models.CharField("発言者", max_length=100)
    text = models.TextField("発言")

    class Meta:
        verbose_name = "発言"
        verbose_name_plural = "発言"
        ordering = ["section", "position"]

    def __str__(self) -> str:
        return f"({self.speaker}) {self.text[:30]}"


class MinutesVersion(models.Model):
    """A frozen copy of confirmed minutes; a correction makes the next one, with its reason."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版")
    reason = models.CharField("理由", max_length=500, blank=True)
    text = models.TextField("本文")
    content = models.JSONField("構造")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会議録の版"
        verbose_name_plural = "会議録の版"
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} 第{self.number}版"


class MinutesComment(models.Model):
    """An attendee's comment on circulated minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField("氏名", max_length=150)
    text = models.TextField("意見")
    version = models.PositiveSmallIntegerField("版")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会議録への意見"
        verbose_name_plural = "会議録への意見"
        ordering = ["minutes", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:30]}"
