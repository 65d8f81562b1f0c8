"""Writing the audit log: who, what, on which record, from where."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from renkei.audit.models import Action, AuditEvent
from renkei.audit.services import audit_record

# The audit log sits below accounts: it knows users only through Django's user model.
User = get_user_model()


def test_event_names_the_actor_the_target_and_the_detail(db):
    actor = User.objects.create_user(username="jimu", password="x", role="secretariat")
    target = User.objects.create_user(username="tobetsu", password="x", role="staff")

    event = audit_record(
        action=Action.ROLE_CHANGED, actor=actor, target=target, detail={"to": "board"}
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_username) == (actor, "jimu")
    assert (stored.target_type, stored.target_id) == ("accounts.user", str(target.pk))
    assert stored.target_label == str(target)
    assert stored.detail == {"to": "board"}


def test_anonymous_actor_is_kept_only_as_the_typed_user_id(db):
    event = audit_record(
        action=Action.LOGIN_FAILED, actor=AnonymousUser(), actor_username="nosuchuser"
    )

    assert event.actor is None
    assert event.actor_username == "nosuchuser"


def test_event_records_the_clients_address(db):
    request = RequestFactory().get("/", REMOTE_ADDR="10.20.30.40")

    event = audit_record(action=Action.LOGOUT, actor_username="x", request=request)

    assert AuditEvent.objects.get(pk=event.pk).ip_address == "10.20.30.40"


def test_long_target_labels_are_cut_to_the_column(db):
    user = User.objects.create_user(
        username="u", password="x", first_name="長" * 150, last_name="名" * 150
    )

    event = audit_record(action=Action.CHANGED, target=user)

    assert len(event.target_label) <= 255
