"""Admin and superuser accounts need the secretariat's second factor."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from renkei.accounts.models import Role, User

PASSWORD = "superuser-test-password-8317"


def _login(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    return client


@pytest.mark.parametrize("flags", [{"is_superuser": True}, {"is_staff": True}])
def test_admin_flag_without_totp_opens_nothing_but_the_totp_set_up(db, flags):
    User.objects.create_user(username="admin-kun", password=PASSWORD, role=Role.STAFF, **flags)
    client = _login("admin-kun")
    assert client.session.get("_auth_user_id")

    for path in ("/", "/admin/", "/admin/mailer/outboxmessage/", "/inquiries/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path


def test_admin_with_totp_opens_the_admin(db):
    user = User.objects.create_superuser(username="admin-kun", password=PASSWORD, email="")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)

    assert client.get("/admin/").status_code == 200


def test_createsuperuser_makes_a_secretariat_account(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command("createsuperuser", "--noinput", username="root", email="root@example.lg.jp")

    user = User.objects.get(username="root")
    assert (user.role, user.is_superuser, user.is_staff) == (Role.SECRETARIAT, True, True)


def test_create_superuser_refuses_another_role(db):
    with pytest.raises(ValueError, match="secretariat"):
        User.objects.create_superuser(username="root", password=PASSWORD, role=Role.STAFF)
    assert not User.objects.exists()
