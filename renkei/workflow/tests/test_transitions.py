"""Applying a transition: conditional, audited, all-or-nothing, and race-safe."""

import pytest
from django.db import models

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import Capability
from renkei.audit.models import Action, AuditEvent
from renkei.core.errors import ServiceError
from renkei.mailer.models import OutboxMessage, Status
from renkei.testing import race, races_on_postgresql
from renkei.workflow.transitions import Transition, TransitionError, Workflow, refused_as

# The outbox is a convenient record with a status in a lower layer; the table is made up.
OUTBOX = Workflow(
    model=OutboxMessage,
    statuses=Status,
    transitions=(
        Transition("claim", (Status.QUEUED,), Status.SENDING, "送信開始"),
        Transition("cancel", (Status.QUEUED, Status.SENDING), Status.FAILED, "取消"),
        Transition(
            "resend",
            (Status.FAILED,),
            Status.QUEUED,
            "再送",
            capability=Capability.VIEW_OUTBOX,
            mail="宛先へ再送します",
        ),
    ),
)


def message_make(status: str = Status.QUEUED) -> OutboxMessage:
    return OutboxMessage.objects.create(
        to_email="joho@example.lg.jp", subject="件名", body_text="本文", status=status
    )


@pytest.fixture
def secretariat(db) -> User:
    return User.objects.create_user(username="jimu", password="x", role=Role.SECRETARIAT)


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user(username="member", password="x", role=Role.STAFF)


def test_apply_moves_the_status_and_records_who_did_it(secretariat):
    message = message_make()

    OUTBOX.apply(instance=message, name="claim", by=secretariat, detail={"note": "手動"})

    assert OutboxMessage.objects.get(pk=message.pk).status == Status.SENDING
    assert message.status == Status.SENDING
    event = AuditEvent.objects.get(action=Action.STATUS_CHANGED)
    assert event.actor == secretariat
    assert event.target_id == str(message.pk)
    assert event.detail == {
        "transition": "claim",
        "from": "queued",
        "to": "sending",
        "note": "手動",
    }


def test_stale_copy_cannot_overwrite_a_newer_status(secretariat):
    message = message_make()
    stale = OutboxMessage.objects.get(pk=message.pk)
    OUTBOX.apply(instance=message, name="cancel", by=secretariat)

    # The stale copy still says "queued", from which `claim` is allowed, but the row moved on.
    with pytest.raises(TransitionError, match="他の方が先に操作"):
        OUTBOX.apply(instance=stale, name="claim", by=secretariat)

    assert OutboxMessage.objects.get(pk=message.pk).status == Status.FAILED
    assert AuditEvent.objects.filter(action=Action.STATUS_CHANGED).count() == 1


def test_transition_from_a_status_not_in_the_table_is_refused_in_japanese(secretariat):
    message = message_make(Status.SENT)

    with pytest.raises(TransitionError) as refused:
        OUTBOX.apply(instance=message, name="claim", by=secretariat)

    assert refused.value.message == "この状態では送信開始できません。（現在の状態：送信済み）"
    assert not AuditEvent.objects.exists()


def test_actor_without_the_capability_is_refused(member):
    message = message_make(Status.FAILED)

    with pytest.raises(TransitionError, match="権限がありません"):
        OUTBOX.apply(instance=message, name="resend", by=member)

    assert OutboxMessage.objects.get(pk=message.pk).status == Status.FAILED


def test_failure_after_the_update_rolls_back_status_and_audit(secretariat):
    message = message_make()

    def after(_message: OutboxMessage) -> None:
        raise RuntimeError("mail template missing")

    with pytest.raises(RuntimeError):
        OUTBOX.apply(instance=message, name="claim", by=secretariat, after=after)

    assert OutboxMessage.objects.get(pk=message.pk).status == Status.QUEUED
    assert not AuditEvent.objects.exists()


def test_changes_are_written_by_the_same_update(secretariat):
    message = message_make()

    OUTBOX.apply(instance=message, name="cancel", by=secretariat, changes={"last_error": "取消"})

    assert OutboxMessage.objects.get(pk=message.pk).last_error == "取消"


def test_table_with_an_unknown_status_is_refused_when_declared():
    class Other(models.TextChoices):
        X = "x", "X"

    with pytest.raises(ValueError, match="unknown statuses"):
        Workflow(
            model=OutboxMessage,
            statuses=Status,
            transitions=(Transition("t", (Other.X,), Status.SENT, "t"),),
        )


def test_a_refusal_is_raised_again_as_the_features_error_with_its_message():
    class FeatureError(ServiceError):
        pass

    with pytest.raises(FeatureError) as raised, refused_as(FeatureError):
        raise TransitionError("送信できません。")

    assert raised.value.message == "送信できません。"
    assert isinstance(raised.value.__cause__, TransitionError)


def test_available_lists_the_steps_from_a_status():
    assert [t.name for t in OUTBOX.available(Status.QUEUED)] == ["claim", "cancel"]
    assert [t.name for t in OUTBOX.available(Status.SENT)] == []


@pytest.mark.django_db(transaction=True)
@races_on_postgresql
def test_of_two_racing_transitions_exactly_one_wins():
    secretariat = User.objects.create_user(username="jimu", password="x", role=Role.SECRETARIAT)
    message = message_make()

    outcomes = race(
        read=lambda: OutboxMessage.objects.get(pk=message.pk),
        steps={
            "claim": lambda copy: OUTBOX.apply(instance=copy, name="claim", by=secretariat),
            "cancel": lambda copy: OUTBOX.apply(instance=copy, name="cancel", by=secretariat),
        },
        refused=TransitionError,
    )

    assert sorted(outcomes.values()) == ["applied", "refused"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "applied")
    final = OutboxMessage.objects.get(pk=message.pk).status
    assert final == OUTBOX.transition(winner).target
    assert AuditEvent.objects.filter(action=Action.STATUS_CHANGED).count() == 1
