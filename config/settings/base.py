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
    "renkei.inquiries.polls",
    "renkei.portal",
]

MIDDLEWARE = [
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
    "renkei.accounts.middleware.LoginRequiredMiddleware",
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
            ],
            "builtins": [
                "renkei.core.templatetags.wareki",
                "renkei.core.templatetags.mapping",
                "renkei.core.templatetags.numbers",
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    }
]

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
    # Five failed logins per user ID in 15 minutes locks that ID for the rest of the window.
    "login_failed": os.environ.get("RENKEI_LOGIN_FAILED_LIMIT", "5/15m/key,20/15m/ip"),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Renkei] "
# Behind the council's reverse proxy set this to 1, so that login throttling counts each
# client's address (X-Forwarded-For) and not the proxy's, which would lock everyone out at once.
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

ACCOUNT_FORMS = {"login": "renkei.accounts.forms.LoginForm"}
