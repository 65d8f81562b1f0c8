"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789-renkei-abcdefghijklmnop"
)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "renkei.core",
    "renkei.audit",
    "renkei.mailer",
    "renkei.accounts",
    "renkei.directory",
    "renkei.inquiries",
    "renkei.polls",
    "renkei.announcements",
    "renkei.events",
    "renkei.meetings",
    "renkei.forum",
    "renkei.forum.lists",
    "renkei.portal",
]

MIDDLEWARE = [
    # Outermost, so that static files, redirects and error pages get the CSP as well.
    "renkei.core.security_headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "renkei.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "renkei.accounts.middleware.RequireMFAMiddleware",
    "renkei.accounts.middleware.DateStyleMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renkei.core.context_processors.site",
                "renkei.accounts.context_processors.capabilities",
            ],
            "builtins": [
                "renkei.core.templatetags.wareki",
                "renkei.core.templatetags.mapping",
                "renkei.core.templatetags.numbers",
                "renkei.core.templatetags.tables",
                "django.contrib.humanize.templatetags.humanize",
                "renkei.core.templatetags.fragments",
            ],
        },
    },
    {
        # Row-heavy fragments only (renkei/core/fragments.py), from each app's jinja2/ folder.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "renkei.core.fragments.environment"},
    },
]

# One form renderer for the whole product (renkei/core/templates/core/forms/).
FORM_RENDERER = "renkei.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Japanese search and sorting need a UTF-8 database.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets the task worker and the web server use the file at the same time.
    # WAL with synchronous=NORMAL stays consistent after a crash and commits without fsync.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A writer waits up to 20 s for another (the web server and the task worker share the file).
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# allauth's login by user ID (which also serves the admin's login); every request's user is
# read together with their directory person, which nearly every page needs.
AUTHENTICATION_BACKENDS = ["renkei.directory.auth_backends.UserWithPersonBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
# The council's own wording for django-allauth's pages (二要素認証, ユーザーID); see locale/.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("RENKEI_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Several app servers share uploaded and exported files through an S3-compatible object store
# (MinIO, a cloud's S3, …) when RENKEI_S3_BUCKET is set. Files are never linked directly: every
# download is streamed by the app after its permission check, so the bucket stays private.
if os.environ.get("RENKEI_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["RENKEI_S3_BUCKET"],
            "endpoint_url": os.environ.get("RENKEI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("RENKEI_S3_REGION") or None,
            "access_key": os.environ.get("RENKEI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("RENKEI_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_expire": 300,
        },
    }

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Idle timeout: a session ends this long after its last request. IdleTimeoutMiddleware
# renews it at most once a minute instead of writing the session on every request.
SESSION_COOKIE_AGE = int(os.environ.get("RENKEI_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

CACHES = {
    # Shared by every process: throttling, used TOTP codes, compiled summaries.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "renkei_cache",
    },
    # Each process's own memory, for things that never change once written (the questions
    # of a started inquiry): read without a query on every answer save.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renkei-local",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# django-allauth: login by user ID, no public sign-up (members are invited).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "renkei.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A password reset for an address no member has sends nothing (the page answers the same).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    # Login attempts are throttled by renkei.accounts.throttling instead (LOGIN_THROTTLE):
    # allauth's per-address limits would lock out every municipality behind one LGWAN
    # gateway, and its per-user-ID lock lets anyone lock anyone out.
    "login": "",
    "login_failed": "",
}
# Failed logins: after the free failures of a scope, each further failure doubles the wait
# before the next attempt in that scope (BACKOFF_SECONDS, up to BACKOFF_MAX_SECONDS). Failures
# are forgotten WINDOW_MINUTES after the last one, and by a successful login.
LOGIN_THROTTLE = {
    # per (client address, user ID): someone mistyping, or guessing from one place
    "FAILED_LIMIT": int(os.environ.get("RENKEI_LOGIN_FAILED_LIMIT", "5")),
    # per user ID from all addresses: guessing one account from many places
    "ACCOUNT_FAILED_LIMIT": int(os.environ.get("RENKEI_LOGIN_ACCOUNT_FAILED_LIMIT", "20")),
    # per client address over all user IDs: generous, since a prefecture's municipalities
    # share a few LGWAN addresses
    "ADDRESS_FAILED_LIMIT": int(os.environ.get("RENKEI_LOGIN_ADDRESS_FAILED_LIMIT", "300")),
    "BACKOFF_SECONDS": int(os.environ.get("RENKEI_LOGIN_BACKOFF_SECONDS", "30")),
    "BACKOFF_MAX_SECONDS": int(os.environ.get("RENKEI_LOGIN_BACKOFF_MAX_SECONDS", "900")),
    "WINDOW_MINUTES": int(os.environ.get("RENKEI_LOGIN_FAILED_WINDOW_MINUTES", "15")),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Renkei] "
# Behind the council's reverse proxy set this to 1, so that login throttling and the audit log
# see each client's address (X-Forwarded-For; renkei.core.client_address) and not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("RENKEI_TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Renkei"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# Mail leaves through SMTP; the outbox (renkei.mailer) queues and retries it.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "renkei@example.lg.jp")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RENKEI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

RENKEI = {
    "SITE_NAME": os.environ.get("RENKEI_SITE_NAME", "連携 Renkei"),
    "COUNCIL_NAME": os.environ.get("RENKEI_COUNCIL_NAME", "全国市町村情報管理主管課長会"),
    # The address mail links point to (invitations, inquiry notices).
    "BASE_URL": os.environ.get("RENKEI_BASE_URL", "http://127.0.0.1:8000"),
    "MAIL_MAX_ATTEMPTS": 5,
    "MAIL_RETRY_BASE_SECONDS": 60,
    # A message still 送信中 this long after its claim is sent again (its worker died). Keep
    # it well above the longest possible send (a few EMAIL_TIMEOUTs), or a slow worker and
    # the retry could both deliver.
    "MAIL_LEASE_SECONDS": int(os.environ.get("RENKEI_MAIL_LEASE_SECONDS", "600")),
    # Envelope senders are per recipient (VERP): <local>+<message>-<signature>@<domain>, so a
    # bounce names the message it is about. The domain's MX must reach `manage.py mailserver`.
    # Empty: the sender address itself is the return path (no bounce handling).
    "MAIL_BOUNCE_ADDRESS": os.environ.get("RENKEI_MAIL_BOUNCE_ADDRESS", ""),
    # Where `manage.py mailserver` listens (behind Postfix, say, on loopback).
    "MAILSERVER_HOST": os.environ.get("RENKEI_MAILSERVER_HOST", "127.0.0.1"),
    "MAILSERVER_PORT": int(os.environ.get("RENKEI_MAILSERVER_PORT", "8025")),
    # Who takes inbound mail, in order: the first whose accepts(address) is true.
    "INBOUND_HANDLERS": [
        "renkei.mailer.bounces.BounceHandler",
        "renkei.forum.lists.inbound.ListHandler",
    ],
    # Group mailing lists live at <name>@LIST_DOMAIN; its MX must reach `manage.py mailserver`.
    "LIST_DOMAIN": os.environ.get("RENKEI_LIST_DOMAIN", "lists.example.lg.jp"),
    # A list message larger than this (as received, attachments included) is refused (552).
    "LIST_MAX_MESSAGE_BYTES": int(
        os.environ.get("RENKEI_LIST_MAX_MESSAGE_BYTES", str(15 * 1024 * 1024))
    ),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

ACCOUNT_FORMS = {"login": "renkei.accounts.forms.LoginForm"}
MFA_FORMS = {"authenticate": "renkei.accounts.forms.TwoFactorForm"}
