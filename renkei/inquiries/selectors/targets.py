"""Which organizations an inquiry targets, described in words, and looked up by code or name."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from renkei.core.text import to_halfwidth_digits
from renkei.directory.models import (
    MEMBER_CATEGORIES,
    Group,
    Organization,
    OrganizationKind,
)
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import (
    group_organization_ids,
    member_organizations,
)
from renkei.inquiries.models import Inquiry

CODE_PREFIX_RE = re.compile(r"^(\d{5,6})(?:[\s\u3000]|$)")

TARGET_MODES = {
    "all": "全会員団体",
    "group": "グループ",
    "filter": "条件で絞り込み",
    "pick": "個別に指定",
}


def answering_member_organizations() -> QuerySet[Organization]:
    """Return the member organizations that may be asked to answer."""
    return member_organizations(categories=MEMBER_CATEGORIES)


def requester_organizations() -> QuerySet[Organization]:
    """Return the organizations the secretariat may ask on behalf of, itself included."""
    return Organization.objects.filter(
        Q(pk__in=answering_member_organizations().values("pk"))
        | Q(kind=OrganizationKind.SECRETARIAT)
    )


def target_kinds(spec: dict[str, Any]) -> list[str]:
    """Return the organization kinds a filter asks for (none: every kind)."""
    # Specs written before several kinds could be chosen hold one "kind"; seed_scale still
    # writes that shape.
    kinds = spec.get("kinds") or ([spec["kind"]] if spec.get("kind") else [])
    return [kind for kind in kinds if kind in OrganizationKind.values]


def target_organizations(*, spec: dict[str, Any], exclude_id: int | None) -> QuerySet[Organization]:
    """Return the organizations a target description (target_spec) reaches today."""
    mode = spec.get("mode")
    if mode == "all":
        organizations = answering_member_organizations()
    elif mode == "group" and spec.get("group_id"):
        organizations = Organization.objects.filter(
            pk__in=group_organization_ids(group_id=spec["group_id"])
        )
    elif mode == "filter":
        organizations = answering_member_organizations()
        if spec.get("prefecture_code"):
            organizations = organizations.filter(prefecture_code=spec["prefecture_code"])
        if target_kinds(spec):
            organizations = organizations.filter(kind__in=target_kinds(spec))
        if spec.get("population_min") is not None:
            organizations = organizations.filter(population__gte=spec["population_min"])
        if spec.get("population_max") is not None:
            organizations = organizations.filter(population__lte=spec["population_max"])
    elif mode == "pick":
        organizations = Organization.objects.filter(pk__in=spec.get("organization_ids") or [])
    else:
        return Organization.objects.none()
    if exclude_id is not None:
        organizations = organizations.exclude(pk=exclude_id)
    return organizations.order_by("code", "name")


def target_description(spec: dict[str, Any]) -> str:
    """Describe a target description in words, as shown on the inquiry (照会先)."""
    mode = spec.get("mode")
    if mode == "all":
        return "全会員団体"
    if mode == "group":
        group = Group.objects.filter(pk=spec.get("group_id")).first()
        return f"グループ：{group.name}" if group else "グループ"
    if mode == "filter":
        parts = []
        if spec.get("prefecture_code"):
            parts.append(PREFECTURES.get(spec["prefecture_code"], spec["prefecture_code"]))
        if target_kinds(spec):
            parts.append("・".join(OrganizationKind(kind).label for kind in target_kinds(spec)))
        low, high = spec.get("population_min"), spec.get("population_max")
        if low is not None or high is not None:
            low_text = f"{low:,}人" if low is not None else ""
            high_text = f"{high:,}人" if high is not None else ""
            parts.append(f"人口{low_text}〜{high_text}")
        return "会員団体のうち " + "、".join(parts) if parts else "全会員団体"
    if mode == "pick":
        names = list(
            Organization.objects.filter(pk__in=spec.get("organization_ids") or []).values_list(
                "name", flat=True
            )
        )
        text = "、".join(names)
        if len(text) > 200:
            text = text[:200] + "…"
        return f"{len(names):,}団体（{text}）"
    return ""


def targets_text(*, inquiry: Inquiry, count: int) -> str:
    """Say who an inquiry asks, with how many: 「全会員団体（1,788団体）」.

    A picked list's description names its count already: 「7団体（当別町、所沢市、…）」.
    """
    description = inquiry.target_description or "未設定"
    if not count or (inquiry.target_spec or {}).get("mode") == "pick":
        return description
    return f"{description}（{count:,}団体）"


@dataclass
class OrganizationLookup:
    """Result of looking up typed organization names and codes."""

    found: list[Organization]
    unknown: list[str]
    ambiguous: list[tuple[str, list[Organization]]]


def organizations_lookup(lines: Iterable[str]) -> OrganizationLookup:
    """Find organizations by JIS code (5 or 6 digits) or name, one entry per line.

    A name shared by several organizations (美里町) is resolved to the member organization
    when only one of them is a member, and reported as ambiguous otherwise.
    """
    entries = [line.strip() for line in lines if line.strip()]
    result = OrganizationLookup(found=[], unknown=[], ambiguous=[])
    members = set(answering_member_organizations().values_list("pk", flat=True))
    seen: set[int] = set()
    prefecture_names = sorted(PREFECTURES.values(), key=len, reverse=True)
    for entry in entries:
        # A line may be a code, a name, or both ("013030 当別町", as the form shows them).
        code = CODE_PREFIX_RE.match(to_halfwidth_digits(entry))
        if code and len(code[1]) == 6:
            candidates = list(Organization.objects.filter(code=code[1]))
        elif code:
            # Five digits: the code without its check digit.
            candidates = list(Organization.objects.filter(code__startswith=code[1]))
        else:
            name, prefecture_code = entry.replace(" ", "").replace("　", ""), None
            for prefecture in prefecture_names:
                if name.startswith(prefecture) and name != prefecture:
                    prefecture_code = next(k for k, v in PREFECTURES.items() if v == prefecture)
                    name = name[len(prefecture) :]
                    break
            candidates = list(Organization.objects.filter(name=name))
            if prefecture_code:
                candidates = [c for c in candidates if c.prefecture_code == prefecture_code]
        if len(candidates) > 1:
            narrowed = [c for c in candidates if c.pk in members]
            candidates = narrowed if len(narrowed) == 1 else candidates
        if not candidates:
            result.unknown.append(entry)
        elif len(candidates) > 1:
            result.ambiguous.append((entry, candidates))
        elif candidates[0].pk not in seen:
            seen.add(candidates[0].pk)
            result.found.append(candidates[0])
    return result
