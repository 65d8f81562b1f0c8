"""Who of the targeted organizations has answered, by prefecture and kind, and who has not."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from renkei.core.question_kinds.results import Share
from renkei.directory.models import Organization, OrganizationKind
from renkei.directory.selectors import notification_recipients
from renkei.inquiries.compilation.respondents import latest_submitted_versions, prefecture_name
from renkei.inquiries.models import (
    Answer,
    AnswerKind,
    AnswerStatus,
    Inquiry,
    Target,
)


@dataclass(frozen=True)
class ProgressGroup:
    """Targeted and submitted organizations in one prefecture or of one kind."""

    key: str
    label: str
    targeted: int
    submitted: int

    @property
    def share(self) -> Share:
        """Return submitted out of targeted."""
        return Share(self.submitted, self.targeted)


@dataclass(frozen=True)
class PendingOrganization:
    """A targeted organization that has not submitted, with whom to contact."""

    organization: Organization
    status_label: str  # 未着手 / 作成中 / 所属長確認待ち / 確認済み
    contacts: list[Any]

    @property
    def prefecture(self) -> str:
        """Return the organization's prefecture name."""
        return prefecture_name(self.organization.prefecture_code)


@dataclass(frozen=True)
class Progress:
    """How far the answering has come."""

    targeted: int
    submitted: int
    by_answer_kind: list[tuple[str, int]]
    by_prefecture: list[ProgressGroup]
    by_kind: list[ProgressGroup]
    pending: list[PendingOrganization]

    @property
    def share(self) -> Share:
        """Return submitted out of targeted."""
        return Share(self.submitted, self.targeted)


NOT_STARTED = "未着手"


# The organization fields progress reads; other fields stay deferred, as with .only().
_PROGRESS_FIELDS = frozenset({"id", "code", "name", "kana", "kind", "prefecture_code"})


def inquiry_progress(
    *, inquiry: Inquiry, with_contacts: bool = True, submitted_kinds: dict[int, str] | None = None
) -> Progress:
    """Return submitted / targeted overall, by prefecture and by kind, and who is missing.

    An organization counts as submitted once it has submitted, even while it drafts a
    correction; its answer kind is that of its latest submitted version. `submitted_kinds`
    ({organization id: kind of its latest submitted version}) saves reading those again when
    the caller has loaded them (CompilationData.respondents).
    """
    # Targets as plain tuples: only the organizations still missing become instances.
    names = [f.attname for f in Organization._meta.concrete_fields if f.attname in _PROGRESS_FIELDS]
    at = {name: index for index, name in enumerate(names)}
    pk_at, code_at, kana_at, name_at = at["id"], at["code"], at["kana"], at["name"]
    prefecture_at, kind_at = at["prefecture_code"], at["kind"]
    targets = Target.objects.filter(inquiry=inquiry)
    rows = list(targets.values_list(*[f"organization__{name}" for name in names]))
    statuses: dict[int, str] = {}
    submitted_ids: set[int] = set()
    for organization_id, status, submitted_at in Answer.objects.filter(inquiry=inquiry).values_list(
        "organization_id", "status", "submitted_at"
    ):
        statuses[organization_id] = status
        if submitted_at is not None:
            submitted_ids.add(organization_id)
    kinds = (
        submitted_kinds
        if submitted_kinds is not None
        else dict(
            latest_submitted_versions(inquiry=inquiry).values_list(
                "answer__organization_id", "kind"
            )
        )
    )
    # organization_sort_key, on the tuples.
    rows.sort(
        key=lambda row: (
            not row[code_at],
            row[code_at] or "",
            row[kana_at] or "",
            row[name_at],
            row[pk_at],
        )
    )
    submitted_ids &= {row[pk_at] for row in rows}

    by_prefecture: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        done = int(row[pk_at] in submitted_ids)
        group = by_prefecture[row[prefecture_at] or ""]
        group[0] += 1
        group[1] += done
        group = by_kind[row[kind_at]]
        group[0] += 1
        group[1] += done
    pending_orgs = [
        Organization.from_db(targets.db, names, row)
        for row in rows
        if row[pk_at] not in submitted_ids
    ]

    kind_order = {value: i for i, value in enumerate(OrganizationKind.values)}
    kind_counts = Counter(kinds[o] for o in submitted_ids if o in kinds)
    contacts: dict[int, list[Any]] = defaultdict(list)
    if with_contacts and pending_orgs:
        # The addresses the inquiry's mail reaches (連絡窓口 and shared mailbox).
        for recipient in notification_recipients(organization_ids=[o.pk for o in pending_orgs]):
            contacts[recipient.organization.pk].append(recipient)
    status_labels = dict(AnswerStatus.choices)
    return Progress(
        targeted=len(rows),
        submitted=len(submitted_ids),
        by_answer_kind=[(AnswerKind(k).label, kind_counts.get(k, 0)) for k in AnswerKind.values],
        by_prefecture=[
            ProgressGroup(key=code, label=prefecture_name(code), targeted=t, submitted=s)
            for code, (t, s) in sorted(by_prefecture.items(), key=lambda kv: (kv[0] == "", kv[0]))
        ],
        by_kind=[
            ProgressGroup(
                key=kind,
                label=OrganizationKind(kind).label if kind in OrganizationKind else kind,
                targeted=t,
                submitted=s,
            )
            for kind, (t, s) in sorted(by_kind.items(), key=lambda kv: kind_order.get(kv[0], 99))
        ],
        pending=[
            PendingOrganization(
                organization=o,
                status_label=status_labels.get(statuses.get(o.pk, ""), NOT_STARTED),
                contacts=contacts.get(o.pk, []),
            )
            for o in pending_orgs
        ],
    )
