"""Organizations, their memberships in the council, departments, people and groups."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import NullIf

from renkei.accounts.models import Role
from renkei.core.search_keys import SearchKeyField


class OrganizationKind(models.TextChoices):
    PREFECTURE = "prefecture", "都道府県"
    CITY = "city", "市"
    SPECIAL_WARD = "special_ward", "特別区"
    TOWN = "town", "町"
    VILLAGE = "village", "村"
    ASSOCIATION = "association", "一部事務組合"
    UNION = "union", "広域連合"
    SECRETARIAT = "secretariat", "事務局"
    NATIONAL = "national", "国の機関"
    COMPANY = "company", "民間事業者"


# Kinds that come from the official code list; the rest are entered by hand.
LISTED_KINDS = frozenset(
    {
        OrganizationKind.PREFECTURE,
        OrganizationKind.CITY,
        OrganizationKind.SPECIAL_WARD,
        OrganizationKind.TOWN,
        OrganizationKind.VILLAGE,
    }
)


class Organization(models.Model):
    """A prefecture, municipality or other body that can belong to the council."""

    code = models.CharField(
        "団体コード",
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        help_text="JIS X 0402 の6桁（検査数字を含む）",
    )
    name = models.CharField("団体名", max_length=100, db_index=True)
    kana = models.CharField("フリガナ", max_length=200, blank=True, db_index=True)
    # The name and kana folded by renkei.core.text.fold_for_search, for organization_search.
    name_folded = SearchKeyField("検索用の団体名", sources=("name", "kana"))
    kind = models.CharField("種別", max_length=20, choices=OrganizationKind.choices, db_index=True)
    prefecture_code = models.CharField("都道府県コード", max_length=2, blank=True, db_index=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    # A shared department mailbox (e.g. joho@city.example.lg.jp) that gets the council's
    # 照会 and お知らせ besides the 連絡窓口, whoever holds the post.
    notification_email = models.EmailField(
        "通知先メールアドレス（共有）",
        blank=True,
        help_text="照会やお知らせを受け取る部署の共有メールアドレス（例：joho@city.example.lg.jp）。",
    )
    abolished_on = models.DateField("廃止日", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="承継団体",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"
        ordering = ["code", "name"]
        indexes = [
            # Code order with organizations without a code (NULL or "") last, by reading and
            # name: a page of a long list in that order (the answer matrix of an inquiry)
            # walks this index and stops at its rows instead of sorting every organization.
            models.Index(
                NullIf("code", Value("")),
                F("kana"),
                F("name"),
                F("id"),
                name="organization_code_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        """Tell whether the organization comes from the official code list."""
        return self.kind in LISTED_KINDS


class MembershipCategory(models.TextChoices):
    REGULAR = "regular", "正会員"
    SPECIAL = "special", "特別会員"
    OBSERVER = "observer", "オブザーバ"


# The members proper: asked to answer inquiries, voting per organization in polls, and counted
# in the membership summary. Observers (総務省 and the like) attend but are none of these.
MEMBER_CATEGORIES = [MembershipCategory.REGULAR, MembershipCategory.SPECIAL]


class Membership(models.Model):
    """A period during which an organization belonged to the council."""

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="memberships"
    )
    category = models.CharField(
        "会員区分",
        max_length=20,
        choices=MembershipCategory.choices,
        default=MembershipCategory.REGULAR,
    )
    joined_on = models.DateField("入会日")
    # The first day on which the organization is no longer a member.
    left_on = models.DateField("退会日", null=True, blank=True)
    note = models.CharField("備考", max_length=255, blank=True)

    class Meta:
        verbose_name = "会員資格"
        verbose_name_plural = "会員資格"
        ordering = ["organization__code", "-joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="membership_left_after_joined",
            )
        ]
        indexes = [models.Index(fields=["joined_on", "left_on"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_category_display()}"


class Department(models.Model):
    """A section (課) of an organization."""

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField("部署名", max_length=100)
    kana = models.CharField("フリガナ", max_length=200, blank=True)
    email = models.EmailField("代表メール", blank=True)
    phone = models.CharField("代表電話", max_length=30, blank=True)

    class Meta:
        verbose_name = "部署"
        verbose_name_plural = "部署"
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.name}"


class Person(models.Model):
    """A person in the directory; the current post is kept here, the history in Assignment."""

    name = models.CharField("氏名", max_length=100, db_index=True)
    kana = models.CharField("フリガナ", max_length=200, blank=True, db_index=True)
    # Name and kana folded by renkei.core.text.fold_for_search, family and given name in both
    # orders (「小林隆 隆小林 コバヤシタカシ タカシコバヤシ」), for people_search.
    name_folded = SearchKeyField("検索用の氏名", sources=("name", "kana"))
    email = models.EmailField("メールアドレス", blank=True)
    phone = models.CharField("電話番号", max_length=30, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属団体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部署",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    title = models.CharField("役職", max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="アカウント",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人員"
        verbose_name_plural = "人員"
        ordering = ["kana", "name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A period a person held a title in an organization (the 人事異動 history)."""

    person = models.ForeignKey(
        Person, verbose_name="人員", on_delete=models.CASCADE, related_name="assignments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部署",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department_name = models.CharField("部署名", max_length=100, blank=True)
    title = models.CharField("役職", max_length=100, blank=True)
    started_on = models.DateField("着任日")
    ended_on = models.DateField("離任日", null=True, blank=True)

    class Meta:
        verbose_name = "所属履歴"
        verbose_name_plural = "所属履歴"
        ordering = ["person", "-started_on"]

    def __str__(self) -> str:
        return f"{self.person} {self.organization} {self.title}"

    @classmethod
    def of_present_post(cls, person: Person, *, title: str, started_on: dt.date) -> "Assignment":
        """Return an unsaved record of the person's present organization and department."""
        # The department's name is copied so that the history keeps it after a rename.
        return cls(
            person=person,
            organization_id=person.organization_id,
            department=person.department,
            department_name=person.department.name if person.department else "",
            title=title,
            started_on=started_on,
        )


class Post(models.Model):
    """A post in an organization (e.g. 情報政策課長); it stays when its holder leaves."""

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="posts"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部署",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    title = models.CharField("職名", max_length=100)
    is_contact = models.BooleanField("連絡窓口", default=False)
    holder = models.ForeignKey(
        Person,
        verbose_name="在任者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )

    class Meta:
        verbose_name = "職"
        verbose_name_plural = "職"
        ordering = ["organization", "-is_contact", "title"]

    def __str__(self) -> str:
        return f"{self.organization} {self.title}"


class GroupKind(models.TextChoices):
    BOARD = "board", "役員会"
    STEERING = "steering", "幹事会"
    WORKING_GROUP = "working_group", "ワーキンググループ"
    COMMITTEE = "committee", "委員会"
    OTHER = "other", "その他"


class Group(models.Model):
    """An audience that features address: the board, a working group, a 幹事会."""

    name = models.CharField("グループ名", max_length=100, unique=True)
    kind = models.CharField("種類", max_length=20, choices=GroupKind.choices)
    description = models.TextField("説明", blank=True)
    is_active = models.BooleanField("活動中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "グループ"
        verbose_name_plural = "グループ"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    CHAIR = "chair", "会長"
    VICE_CHAIR = "vice_chair", "副会長"
    BOARD_MEMBER = "board_member", "役員"
    AUDITOR = "auditor", "監事"
    LEADER = "leader", "リーダー"
    MEMBER = "member", "メンバー"


class GroupMember(models.Model):
    """A person or a whole organization in a group, with a role and a term of office."""

    group = models.ForeignKey(
        Group, verbose_name="グループ", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人員",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="団体",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    role = models.CharField(
        "役割", max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    term_start = models.DateField("任期開始", null=True, blank=True)
    term_end = models.DateField("任期終了", null=True, blank=True)

    class Meta:
        verbose_name = "グループ構成員"
        verbose_name_plural = "グループ構成員"
        ordering = ["group", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="group_member_person_xor_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.person or self.organization}"


def new_invitation_token() -> str:
    """Return an unguessable token for an invitation link."""
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation to create an account for a person of an organization."""

    organization = models.ForeignKey(
        Organization, verbose_name="団体", on_delete=models.CASCADE, related_name="invitations"
    )
    name = models.CharField("氏名", max_length=100)
    email = models.EmailField("メールアドレス")
    role = models.CharField("権限", max_length=20, choices=Role.choices, default=Role.STAFF)
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="招待者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("招待日時", auto_now_add=True)
    expires_at = models.DateTimeField("有効期限")
    accepted_at = models.DateTimeField("承諾日時", null=True, blank=True)
    revoked_at = models.DateTimeField("取消日時", null=True, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name="人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )

    class Meta:
        verbose_name = "招待"
        verbose_name_plural = "招待"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
