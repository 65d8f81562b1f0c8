"""Reading the directory: organizations, memberships, people, groups."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.text import fold_for_search, to_halfwidth_digits
from renkei.directory.models import (
    MEMBER_CATEGORIES,
    Assignment,
    Group,
    GroupMember,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    Post,
)
from renkei.directory.prefectures import PREFECTURES


def _in_force(*, on: dt.date) -> Q:
    """Match the memberships in force on a date."""
    return Q(joined_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def memberships_on(*, on: dt.date) -> QuerySet[Membership]:
    """Return the memberships in force on a date."""
    return Membership.objects.filter(_in_force(on=on))


def member_counts_on(*, dates: Iterable[dt.date], categories: list[str]) -> dict[dt.date, int]:
    """Count the member organizations on each date, in one query however many dates."""
    days = sorted(set(dates))
    if not days:
        return {}
    counts = Membership.objects.filter(category__in=categories).aggregate(
        **{
            f"on_{index}": Count("organization_id", distinct=True, filter=_in_force(on=day))
            for index, day in enumerate(days)
        }
    )
    return {day: counts[f"on_{index}"] for index, day in enumerate(days)}


def member_organizations(
    *, on: dt.date | None = None, categories: list[str] | None = None
) -> QuerySet[Organization]:
    """Return the organizations that are members of the council on a date (today by default)."""
    on = on or timezone.localdate()
    memberships = memberships_on(on=on).filter(organization=OuterRef("pk"))
    if categories:
        memberships = memberships.filter(category__in=categories)
    return Organization.objects.filter(Exists(memberships))


def _in_term(*, on: dt.date, prefix: str = "") -> Q:
    """Match group members whose term of office includes the date (open ends included)."""
    return (Q(**{f"{prefix}term_start__isnull": True}) | Q(**{f"{prefix}term_start__lte": on})) & (
        Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": on})
    )


def group_organization_ids(*, group_id: int, on: dt.date | None = None) -> set[int]:
    """Return the organizations a group reaches: its member organizations and members' ones."""
    on = on or timezone.localdate()
    members = GroupMember.objects.filter(group_id=group_id).filter(_in_term(on=on))
    ids = set(members.filter(organization__isnull=False).values_list("organization_id", flat=True))
    person_ids = members.filter(person__isnull=False).values_list("person_id", flat=True)
    ids |= set(
        Person.objects.filter(pk__in=person_ids, organization__isnull=False).values_list(
            "organization_id", flat=True
        )
    )
    return ids


@dataclass(frozen=True)
class Affiliation:
    """Whom a user acts for today: their organization and the groups they belong to.

    Pages that gather several features (the home page's 新着情報) load it once and pass it to
    each feature, instead of every feature asking again for the organization and the groups.
    """

    organization: Organization | None
    # Groups of the user's person or of their organization (private boards, mailing lists).
    group_ids: frozenset[int]
    # Groups of the organization or of anyone working for it (お知らせ audiences).
    organization_group_ids: frozenset[int]


def affiliation_of(*, user: User) -> Affiliation:
    """Return the user's organization and groups today (one query: request.user has the rest)."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return Affiliation(
            organization=None, group_ids=frozenset(), organization_group_ids=frozenset()
        )
    organization = person.organization
    organization_id = organization.pk if organization is not None else None
    if organization_id is None:
        who = Q(person_id=person.pk)
    else:
        # The person works for the organization: its people's memberships include theirs.
        who = Q(organization_id=organization_id) | Q(person__organization_id=organization_id)
    rows = (
        GroupMember.objects.filter(who, _in_term(on=timezone.localdate()))
        .values_list("group_id", "person_id", "organization_id", "person__organization_id")
        .order_by()
    )
    own, organization_wide = set(), set()
    for group_id, member_person_id, member_organization_id, people_organization_id in rows:
        if member_person_id == person.pk or member_organization_id == organization_id:
            own.add(group_id)
        if organization_id is not None and organization_id in (
            member_organization_id,
            people_organization_id,
        ):
            organization_wide.add(group_id)
    return Affiliation(
        organization=organization,
        group_ids=frozenset(own),
        organization_group_ids=frozenset(organization_wide),
    )


@dataclass(frozen=True)
class NotificationAddress:
    """One address an organization receives the council's 照会 and お知らせ at."""

    name: str
    email: str
    # The 連絡窓口's department (the notification page) and phone (also the progress page);
    # empty for the shared mailbox.
    department: str = ""
    phone: str = ""
    is_shared_mailbox: bool = False


@dataclass(frozen=True)
class NotificationRecipient(NotificationAddress):
    """A notification address with the organization it belongs to, for mail merges."""

    # Keyword-only: the address's own fields come first and keep their defaults.
    organization: Organization = field(kw_only=True)


def _current_contacts(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Keep the 連絡窓口 posts held now by someone of the organization with an e-mail address.

    A holder who moved to another organization or whose account was suspended is not reached.
    """
    return (
        posts.filter(is_contact=True, holder__isnull=False, holder__organization=F("organization"))
        .exclude(holder__email="")
        .exclude(holder__user__is_active=False)
    )


def notification_addresses(
    *, organizations: Mapping[int, tuple[str, str]], departments: bool = True
) -> dict[int, list[NotificationAddress]]:
    """Return each organization's notification addresses: its 連絡窓口, then its shared mailbox.

    `organizations` maps each organization's id to its name and shared mailbox
    (`notification_email`, "" for none), as the caller has read them. Addresses are unique
    per organization (case-insensitively). One query, of plain values, however many
    organizations; an organization without an address maps to an empty list.
    `departments=False` leaves the contacts' departments unread ("") for a caller that does
    not show them (the progress page): two joins fewer.
    """
    contacts: dict[int, list[NotificationAddress]] = defaultdict(list)
    columns = ["organization_id", "holder__name", "holder__email", "holder__phone"]
    if departments:
        columns += ["holder__department__name", "department__name"]
    posts = (
        _current_contacts(Post.objects.filter(organization_id__in=organizations))
        .order_by("organization_id", "holder__kana", "holder__name", "pk")
        .values_list(*columns)
    )
    for organization_id, name, email, phone, *department_names in posts:
        # The holder's own department first, the post's when the holder has none.
        department = next((d for d in department_names if d is not None), "")
        contacts[organization_id].append(
            NotificationAddress(name=name, email=email.strip(), department=department, phone=phone)
        )
    addresses: dict[int, list[NotificationAddress]] = {}
    for organization_id, (name, shared_mailbox) in organizations.items():
        candidates = contacts.get(organization_id, [])
        if shared_mailbox:
            candidates.append(
                NotificationAddress(
                    name=f"{name} ご担当者", email=shared_mailbox.strip(), is_shared_mailbox=True
                )
            )
        seen: set[str] = set()
        unique = addresses[organization_id] = []
        for address in candidates:
            if address.email.lower() in seen:
                continue
            seen.add(address.email.lower())
            unique.append(address)
    return addresses


def notification_recipients(*, organization_ids: Iterable[int]) -> list[NotificationRecipient]:
    """Return every organization's notification addresses: its 連絡窓口 and shared mailbox.

    Whether or not the people hold an account: the council reaches an organization through
    its directory entry. Addresses are unique per organization (case-insensitively); the
    same address at two organizations stays twice, since each gets its own answer link.
    Two queries, whatever the number of organizations.
    """
    organizations = {
        org.pk: org
        for org in Organization.objects.filter(pk__in=set(organization_ids)).only(
            "code", "name", "kind", "prefecture_code", "notification_email"
        )
    }
    addresses = notification_addresses(
        organizations={pk: (org.name, org.notification_email) for pk, org in organizations.items()}
    )
    return [
        NotificationRecipient(
            organization=organizations[org_id],
            name=address.name,
            email=address.email,
            department=address.department,
            phone=address.phone,
            is_shared_mailbox=address.is_shared_mailbox,
        )
        for org_id in sorted(organizations, key=lambda pk: (organizations[pk].code or "~", pk))
        for address in addresses[org_id]
    ]


def organizations_without_notification_address(
    *, organization_ids: Iterable[int]
) -> QuerySet[Organization]:
    """Return the organizations that have neither a 連絡窓口 with e-mail nor a shared mailbox."""
    contacts = _current_contacts(Post.objects.filter(organization=OuterRef("pk")))
    return (
        Organization.objects.filter(pk__in=organization_ids, notification_email="")
        .exclude(Exists(contacts))
        .order_by(F("code").asc(nulls_last=True), "name")
    )


@dataclass
class MembershipSummary:
    """Members on a date, counted by kind and by prefecture, as the council reports them."""

    on: dt.date
    total: int
    by_kind: list[tuple[str, int]]
    by_prefecture: list[dict]
    kinds: list[tuple[str, str]]

    @property
    def sentence(self) -> str:
        """Return 「1,403団体（市691、町464、村96）」."""
        parts = "、".join(f"{label}{count:,}" for label, count in self.by_kind if count)
        return f"{self.total:,}団体（{parts}）" if parts else f"{self.total:,}団体"


def membership_summary(*, on: dt.date) -> MembershipSummary:
    """Count member organizations on a date by kind and prefecture in one query.

    Observers (e.g. 総務省) attend but are not members, so they are not counted.
    """
    rows = (
        member_organizations(on=on, categories=MEMBER_CATEGORIES)
        .values("prefecture_code", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind: dict[str, int] = defaultdict(int)
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by_kind[row["kind"]] += row["n"]
        table[row["prefecture_code"]][row["kind"]] += row["n"]
    # The order people report in: 市, 特別区, 町, 村, then the rest.
    order = [
        OrganizationKind.CITY,
        OrganizationKind.SPECIAL_WARD,
        OrganizationKind.TOWN,
        OrganizationKind.VILLAGE,
        OrganizationKind.PREFECTURE,
        OrganizationKind.ASSOCIATION,
        OrganizationKind.UNION,
        OrganizationKind.NATIONAL,
        OrganizationKind.COMPANY,
        OrganizationKind.SECRETARIAT,
    ]
    kinds = [(k.value, k.label) for k in order if by_kind.get(k.value)]
    by_prefecture = []
    for code in sorted(table, key=lambda c: (c == "", c)):
        counts = table[code]
        by_prefecture.append(
            {
                "code": code,
                "name": PREFECTURES.get(code, "（都道府県なし）"),
                "counts": [counts.get(k, 0) for k, _ in kinds],
                "total": sum(counts.values()),
            }
        )
    return MembershipSummary(
        on=on,
        total=sum(by_kind.values()),
        by_kind=[(label, by_kind[k]) for k, label in kinds],
        by_prefecture=by_prefecture,
        kinds=kinds,
    )


def organization_search(
    *,
    q: str = "",
    prefecture_code: str = "",
    kind: str = "",
    membership: str = "",
    on: dt.date | None = None,
) -> QuerySet[Organization]:
    """Return organizations matching a search by name, kana or code, with member flags."""
    on = on or timezone.localdate()
    # The category of the membership in force (the latest joined, ordered without the model's
    # join to the organization); a member is an organization that has one. One correlated
    # lookup a row shown, not a scan of every membership besides.
    current = (
        memberships_on(on=on).filter(organization=OuterRef("pk")).order_by("-joined_on", "-pk")
    )
    organizations = Organization.objects.annotate(
        member_category=Subquery(current.values("category")[:1])
    ).annotate(
        is_member=ExpressionWrapper(Q(member_category__isnull=False), output_field=BooleanField())
    )
    # Every word must match: the folded name or kana, or the start of the code.
    for word in q.split():
        condition = Q(name_folded__contains=fold_for_search(word))
        digits = to_halfwidth_digits(word)
        if digits.isdigit():
            condition |= Q(code__startswith=digits)
        organizations = organizations.filter(condition)
    if prefecture_code:
        organizations = organizations.filter(prefecture_code=prefecture_code)
    if kind:
        organizations = organizations.filter(kind=kind)
    if membership == "member":
        organizations = organizations.filter(is_member=True)
    elif membership == "nonmember":
        organizations = organizations.filter(is_member=False)
    return organizations.order_by(F("code").asc(nulls_last=True), "name")


def organization_lookup(*, text: str) -> Organization:
    """Find one organization from what a person typed: its code or its exact name."""
    text = text.strip()
    digits = to_halfwidth_digits(text)
    if digits.isdigit() and len(digits) in (5, 6):
        match = Organization.objects.filter(code__startswith=digits).first()
        if match is None:
            raise Organization.DoesNotExist(f"団体コード「{text}」の団体が見つかりません。")
        return match
    matches = list(Organization.objects.filter(name=text)[:2])
    if not matches:
        raise Organization.DoesNotExist(f"「{text}」という団体が見つかりません。")
    if len(matches) > 1:
        raise Organization.DoesNotExist(
            f"「{text}」という団体は複数あります。団体コードで指定してください。"
        )
    return matches[0]


def people_search(
    *,
    people: QuerySet[Person],
    q: str = "",
    prefecture_code: str = "",
    organization_id: int | None = None,
) -> QuerySet[Person]:
    """Return people matching a name, kana, title or organization search."""
    # Every word must match somewhere: 「小林 隆」 and 「当別町 課長」 narrow, not widen, the list.
    # Names are matched on the folded key, which holds family and given name in both orders.
    for word in q.split():
        term = fold_for_search(word)
        people = people.filter(
            Q(name_folded__contains=term)
            | Q(title__icontains=word)
            | Q(organization__name_folded__contains=term)
            | Q(department__name__icontains=word)
        )
    if prefecture_code:
        people = people.filter(organization__prefecture_code=prefecture_code)
    if organization_id:
        people = people.filter(organization_id=organization_id)
    return (
        people.select_related("organization", "department")
        .only(
            "name",
            "kana",
            "email",
            "phone",
            "title",
            "organization__name",
            "organization__code",
            "department__name",
        )
        .order_by(F("organization__code").asc(nulls_last=True), "department__name", "kana", "name")
    )


def organization_staff(*, organization: Organization) -> QuerySet[Person]:
    """Return the people currently at an organization, without suspended accounts."""
    return (
        organization.people.exclude(user__is_active=False)
        .select_related("department", "user")
        .order_by("department__name", "kana", "name")
    )


def organization_staff_managed(*, organization: Organization) -> QuerySet[Person]:
    """Return everyone at an organization, suspended accounts included, for its managers."""
    return organization.people.select_related("department", "user").order_by(
        "department__name", "kana", "name"
    )


def organization_posts(*, organization: Organization) -> QuerySet[Post]:
    """Return an organization's posts, 連絡窓口 first, with their holders."""
    return organization.posts.select_related("holder__user", "department").order_by(
        "-is_contact", "title", "pk"
    )


def person_history(*, person: Person) -> QuerySet[Assignment]:
    """Return a person's posts, newest first."""
    return person.assignments.select_related("organization").order_by("-started_on", "-id")


def groups_with_counts() -> QuerySet[Group]:
    """Return the groups with the number of their current members."""
    current = _in_term(on=timezone.localdate(), prefix="members__")
    return Group.objects.annotate(member_count=Count("members", filter=current)).order_by(
        "kind", "name"
    )


def group_members(*, group: Group) -> QuerySet[GroupMember]:
    """Return a group's members with their people and organizations."""
    return group.members.select_related("person__organization", "organization").order_by(
        "role", "term_start", "id"
    )


def invitations_pending(*, organization: Organization | None = None) -> QuerySet[Invitation]:
    """Return invitations not yet accepted or revoked, newest first."""
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("organization", "invited_by")
    if organization is not None:
        invitations = invitations.filter(organization=organization)
    return invitations.order_by("-created_at")
