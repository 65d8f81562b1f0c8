"""Logging in through the real allauth pages: user ID and password, throttling, the idle
timeout, TOTP for the secretariat, password reset through the outbox."""

import datetime as dt
import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
)
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import DateStyle, User
from renkei.audit.models import Action, AuditEvent
from renkei.mailer.models import OutboxMessage
from renkei.testing import PASSWORD, logged_in_user_id, totp_code

LOGIN_URL = "/accounts/login/"
WRONG = "wrong-password-0000"
MISMATCH = "ユーザーIDまたはパスワードが正しくありません。"


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": username, "password": password})


# The login page -----------------------------------------------------------------------------


def test_login_page_is_japanese(db):
    response = Client().get(LOGIN_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="ja">' in content
    assert "<h1>ログイン</h1>" in content
    assert re.search(r"<label for=\"id_login\">ユーザーID", content)
    assert re.search(r"<label for=\"id_password\">パスワード", content)
    assert "パスワードを忘れた方はこちら" in content
    assert "Remember" not in content


def test_login_page_puts_the_focus_on_the_user_id(db):
    content = Client().get(LOGIN_URL).content.decode()

    user_id = re.search(r'<input[^>]*name="login"[^>]*>', content)[0]
    assert "autofocus" in user_id
    assert content.count("autofocus") == 1


def test_failed_login_puts_the_focus_on_the_error(council):
    content = login(Client(), "tobetsu-staff", WRONG).content.decode()

    error = re.search(r'<div class="form-errors"[^>]*>', content)[0]
    assert 'role="alert"' in error and 'tabindex="-1"' in error and "autofocus" in error
    assert MISMATCH in content
    assert content.count("autofocus") == 1


# The wording of the login, two-factor and password pages: 二要素認証 and ユーザーID throughout,
# full-width punctuation; allauth's own translation says 多要素認証 and ユーザー名.
WORDING_PAGES = [
    ("account_login", False),
    ("account_reset_password", False),
    ("account_reset_password_done", False),
    ("account_change_password", True),
    ("account_email", True),
    ("account_logout", True),
    ("mfa_index", True),
    ("accounts:settings", True),
]


@pytest.mark.parametrize(("name", "logged_in"), WORDING_PAGES)
def test_account_pages_speak_the_councils_vocabulary(council, name, logged_in):
    client = Client()
    if logged_in:
        client.force_login(council.staff)
    response = client.get(reverse(name))
    assert response.status_code == 200
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S)[0]
    text = re.sub(r"<[^>]+>", " ", main)

    for word in ("多要素", "ユーザー名", "ユーザ名", "2段階", "二段階"):
        assert word not in text, (name, word)
    assert not re.search(r"[ぁ-んァ-ン一-龥][?!:]", text), (name, re.findall(r".{8}[?!:]", text))


def test_two_factor_pages_say_二要素認証(council, secretariat_totp):
    client = Client()
    login(client, "jimukyoku")

    content = client.get(reverse("mfa_authenticate")).content.decode()

    assert "二要素認証" in content
    assert "多要素" not in content
    code = re.search(r'<input[^>]*name="code"[^>]*>', content)[0]
    assert "autofocus" in code


def test_settings_page_links_the_email_page(council):
    client = Client()
    client.force_login(council.staff)

    content = client.get(reverse("accounts:settings")).content.decode()

    assert f'href="{reverse("account_email")}"' in content


def test_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get("/organizations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/organizations/"


def test_login_by_user_id_succeeds_and_is_audited(council):
    client = Client()
    response = login(client, "tobetsu-staff")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == council.staff.pk
    event = AuditEvent.objects.get(action=Action.LOGIN_SUCCEEDED)
    assert (event.actor, event.actor_username, event.ip_address) == (
        council.staff,
        "tobetsu-staff",
        "127.0.0.1",
    )
    assert client.get("/").status_code == 200


def test_login_goes_on_to_the_page_asked_for(council):
    client = Client()
    response = client.post(
        LOGIN_URL, {"login": "tobetsu-staff", "password": PASSWORD, "next": "/organizations/"}
    )
    assert response["Location"] == "/organizations/"


def test_failed_login_is_audited_with_the_user_id_typed(council):
    client = Client()
    response = login(client, "tobetsu-staff", WRONG)
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert logged_in_user_id(client) is None
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (event.actor, event.actor_username, event.ip_address) == (
        None,
        "tobetsu-staff",
        "127.0.0.1",
    )
    assert "password" not in event.detail


def test_failed_login_for_an_unknown_user_id_is_audited(db):
    login(Client(), "nobody", WRONG)
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).actor_username == "nobody"


def test_email_address_is_not_a_user_id(council):
    client = Client()
    response = login(client, council.staff.email)
    assert MISMATCH in response.content.decode()
    assert logged_in_user_id(client) is None


def test_logout_is_audited(council):
    client = Client()
    login(client, "tobetsu-staff")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=council.staff).exists()


def test_deactivated_account_cannot_log_in(council):
    council.staff.is_active = False
    council.staff.save()
    client = Client()
    response = login(client, "tobetsu-staff")
    assert logged_in_user_id(client) is None
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("account_inactive")
    assert client.get("/")["Location"].startswith(LOGIN_URL)
    assert not AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).exists()
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).actor_username == "tobetsu-staff"


def test_public_sign_up_is_closed(db):
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert "ユーザー登録停止中" in page.content.decode()
    client.post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "email": "intruder@example.com",
            "password1": "kyoto-sakura-2026",
            "password2": "kyoto-sakura-2026",
        },
    )
    assert not User.objects.filter(username="intruder").exists()


# Throttling: renkei/accounts/tests/test_throttling.py


# Idle timeout -------------------------------------------------------------------------------


def test_sessions_time_out_after_thirty_idle_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_login_session_expires_thirty_minutes_ahead(council):
    client = Client()
    login(client, "tobetsu-staff")
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_session_cookie_ends_with_the_browser(council):
    client = Client()
    response = login(client, "tobetsu-staff")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"]
    assert not cookie["expires"]
    response = client.get("/")
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is None or not cookie["max-age"]


def test_idle_session_is_rejected(council):
    client = Client()
    login(client, "tobetsu-staff")
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_session_in_use_is_kept_and_extended(council, monkeypatch):
    client = Client()
    login(client, "tobetsu-staff")
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    # Sessions are renewed at most once a minute; a minute later the next request renews it.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    assert client.get("/").status_code == 200
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > dt.timedelta(minutes=29)


# TOTP for the secretariat -------------------------------------------------------------------


def test_secretariat_must_set_up_totp_and_then_log_in_with_it(
    council, django_capture_on_commit_callbacks
):
    client = Client()
    login(client, "jimukyoku")
    assert logged_in_user_id(client) == council.secretariat.pk
    for path in ("/", "/organizations/", "/manage/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    assert client.get(reverse("accounts:settings")).status_code == 200

    # allauth asks for the password again before an authenticator is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=council.secretariat).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=council.secretariat, type=Authenticator.Type.TOTP
    ).exists()
    assert AuditEvent.objects.filter(action=Action.MFA_ENABLED, actor=council.secretariat).exists()
    assert client.get("/manage/").status_code == 200

    client.post(reverse("account_logout"))
    response = login(client, "jimukyoku")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert logged_in_user_id(client) == council.secretariat.pk
    assert client.get("/manage/").status_code == 200


def test_password_alone_does_not_open_the_secretariat_pages(council, secretariat_totp):
    client = Client()
    login(client, "jimukyoku")
    assert logged_in_user_id(client) is None
    response = client.get("/manage/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).exists()


def test_members_need_no_totp(council):
    client = Client()
    login(client, "tobetsu-kanri")
    assert client.get("/").status_code == 200


# Password reset -----------------------------------------------------------------------------


def test_password_reset_mail_goes_through_the_outbox(council):
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": council.staff.email})
    assert response.status_code == 302
    assert mail.outbox == []
    message = OutboxMessage.objects.get(to_email=council.staff.email)
    assert message.topic == "account"
    assert message.subject.startswith("[Renkei]")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body_text)
    assert link is not None, message.body_text

    page = client.get(urlsplit(link.group()).path, follow=True)
    assert page.status_code == 200
    set_password_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group()
    response = client.post(
        set_password_url, {"password1": "kyoto-sakura-2026", "password2": "kyoto-sakura-2026"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor=council.staff).exists()
    fresh = Client()
    login(fresh, "tobetsu-staff", "kyoto-sakura-2026")
    assert logged_in_user_id(fresh) == council.staff.pk


def test_password_reset_mail_names_the_site_and_the_user_id(council):
    Client().post(reverse("account_reset_password"), {"email": council.staff.email})

    message = OutboxMessage.objects.get(to_email=council.staff.email)
    site = settings.RENKEI["SITE_NAME"]
    assert message.body_text.startswith(
        f"{site}（{settings.RENKEI['COUNCIL_NAME']}）からのお知らせです。"
    )
    assert "こんにちは" not in message.body_text
    assert f"ユーザーID：{council.staff.username}" in message.body_text
    base_url = settings.RENKEI["BASE_URL"]
    assert f"{base_url}/accounts/password/reset/key/" in message.body_text
    assert "!" not in message.body_text


def test_password_reset_for_an_unknown_address_mails_nobody(council):
    # The answer is the same as for a member's address, so it tells nobody who is a member,
    # and the site sends no mail (with a sign-up link, to a closed sign-up) to strangers.
    response = Client().post(reverse("account_reset_password"), {"email": "stranger@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert not OutboxMessage.objects.exists()


# Date style ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "shown", "hidden"),
    [
        (DateStyle.WESTERN, "2008年4月1日", "平成20年4月1日"),
        (DateStyle.WAREKI, "平成20年4月1日", "2008年4月1日"),
    ],
)
def test_date_style_setting_switches_dates_on_pages(council, style, shown, hidden):
    client = Client()
    login(client, "tobetsu-staff")
    response = client.post(reverse("accounts:settings"), {"date_style": style})
    assert response.status_code == 302
    council.staff.refresh_from_db()
    assert council.staff.date_style == style
    page = client.get(reverse("directory:organization_detail", args=[council.member_org.pk]))
    content = page.content.decode()
    assert shown in content
    assert hidden not in content


def test_settings_page_offers_both_date_styles(council):
    client = Client()
    login(client, "tobetsu-staff")
    content = client.get(reverse("accounts:settings")).content.decode()
    assert "和暦（令和8年11月21日）" in content
    assert "西暦（2026年11月21日）" in content
