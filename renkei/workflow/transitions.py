"""A workflow is a table of transitions; `Workflow.apply` is the only way a status changes.

Every record with a status (an inquiry, a poll, minutes, a registration) declares its table
once: from which statuses, to which status, what capability the actor needs, what the step is
called in Japanese and what mail it sends. Applying a transition is one transaction: a
conditional UPDATE that only matches the status the caller read (so a stale copy can never
overwrite a newer state, and of two racing actions exactly one wins), the audit event, and
whatever the caller queues in `after` (mail goes through the outbox, so it is queued in the
same transaction and sent only if the change commits).
"""

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.errors import ServiceError


class TransitionError(ServiceError):
    """A transition that may not happen now; the message is for the user, in Japanese."""


@contextmanager
def refused_as(error: type[ServiceError]) -> Iterator[None]:
    """Raise a transition's refusal in the block as the feature's own error, same message."""
    try:
        yield
    except TransitionError as refusal:
        raise error(refusal.message) from refusal


@dataclass(frozen=True)
class Transition:
    """One step of a workflow: from-statuses → to-status, who may, what mail it sends."""

    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    capability: Capability | None = None
    mail: str = ""  # what mail goes out and to whom, for confirmation pages and the docs
    refused: str = ""  # the Japanese sentence when the status does not allow the step


@dataclass(frozen=True)
class Workflow:
    """The transition table of one model's status field."""

    model: type[models.Model]
    statuses: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    status_field: str = "status"
    _by_name: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {t.name: t for t in self.transitions}
        if len(by_name) != len(self.transitions):
            raise ValueError(f"{self.model.__name__}: two transitions share a name")
        known = set(self.statuses.values)
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - known
            if unknown:
                raise ValueError(f"{self.model.__name__}.{t.name}: unknown statuses {unknown}")
        object.__setattr__(self, "_by_name", by_name)

    def transition(self, name: str) -> Transition:
        """Return the transition called `name`."""
        return self._by_name[name]

    def available(self, status: str) -> list[Transition]:
        """Return the transitions that may start from `status`, in table order."""
        return [t for t in self.transitions if status in t.sources]

    def status_label(self, status: str) -> str:
        """Return the Japanese name of a status."""
        return str(self.statuses(status).label)

    def check(self, *, instance: models.Model, name: str, by: User) -> Transition:
        """Return transition `name` if `by` may take it from the instance's status, else raise."""
        step = self.transition(name)
        if step.capability is not None and not has_capability(by, step.capability):
            raise TransitionError(f"{step.label}を行う権限がありません。")
        seen = getattr(instance, self.status_field)
        if seen not in step.sources:
            reason = step.refused or f"この状態では{step.label}できません。"
            raise TransitionError(f"{reason}（現在の状態：{self.status_label(seen)}）")
        return step

    def apply(
        self,
        *,
        instance: models.Model,
        name: str,
        by: User,
        changes: Mapping[str, Any] | None = None,
        detail: Mapping[str, Any] | None = None,
        request: HttpRequest | None = None,
        after: Callable[[Any], None] | None = None,
    ) -> Any:
        """Move `instance` along transition `name` as `by`, atomically, or raise TransitionError.

        `changes` are further fields written by the same UPDATE; `after` runs inside the
        transaction once the status has changed (queue mail or create rows there).
        """
        step = self.check(instance=instance, name=name, by=by)
        seen = getattr(instance, self.status_field)
        values: dict[str, Any] = {self.status_field: step.target, **(changes or {})}
        if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
            values.setdefault("updated_at", timezone.now())
        with transaction.atomic():
            updated = self.model._default_manager.filter(
                pk=instance.pk, **{self.status_field: seen}
            ).update(**values)
            if not updated:
                raise TransitionError(
                    f"{step.label}できませんでした。他の方が先に操作した可能性があります。"
                    "画面を開き直してください。"
                )
            for key, value in values.items():
                setattr(instance, key, value)
            audit_record(
                action=Action.STATUS_CHANGED,
                actor=by,
                target=instance,
                request=request,
                detail={"transition": step.name, "from": seen, "to": step.target, **(detail or {})},
            )
            if after is not None:
                after(instance)
        return instance
