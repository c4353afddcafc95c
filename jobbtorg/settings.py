"""Settings for Jobbtorg, read only from environment variables.

Every variable is documented where it is read. Defaults give the embedded
set-up (SQLite under var/, DEBUG off, console e-mail) so `make run` works on a
bare machine; production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL and
passes `manage.py check --deploy` (see docs/operations.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DEBUG: "1" shows tracebacks in the browser. Never on in production.
DEBUG = env_bool("DEBUG", False)

# SECRET_KEY: required in production (JOBBTORG_ENV=production). The embedded default
# generates and keeps one under var/ so sessions survive restarts.
JOBBTORG_ENV = os.environ.get("JOBBTORG_ENV", "embedded")  # embedded | production
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if JOBBTORG_ENV == "production":
        raise RuntimeError("SECRET_KEY måste sättas i produktion")
    _key_file = BASE_DIR / "var" / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        from django.core.management.utils import get_random_secret_key

        SECRET_KEY = get_random_secret_key()
        try:
            _key_file.parent.mkdir(exist_ok=True)
            _key_file.write_text(SECRET_KEY)
        except OSError:
            pass

# ALLOWED_HOSTS: comma-separated host names the server answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# CSRF_TRUSTED_ORIGINS: comma-separated origins (https://jobbtorg.example.se) behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",  # API tokens are our own (accounts.ApiToken), not rest_framework.authtoken
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (CSP 'self')
    "django_htmx",
    "django_tasks_db",
    # Jobbtorg's own apps, bottom layer first (docs/architecture.md).
    "jobbtorg.core",
    "jobbtorg.audit",
    "jobbtorg.organisation",
    "jobbtorg.accounts",
    "jobbtorg.people",
    "jobbtorg.participations",
    "jobbtorg.activities",
    "jobbtorg.access",
    "jobbtorg.timeline",
    "jobbtorg.deadlines",
    "jobbtorg.referrals",
    "jobbtorg.assessments",
    "jobbtorg.plans",
    "jobbtorg.notifications",
    "jobbtorg.disabilities",
    "jobbtorg.eligibility",
    "jobbtorg.subsidies",
    "jobbtorg.osa",
    "jobbtorg.followup",
    "jobbtorg.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jobbtorg.core.middleware.ApiNoStoreMiddleware",  # Cache-Control: no-store on every /api/v1/ answer
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jobbtorg.core.middleware.RejectNulMiddleware",  # NUL (%00) in path or parameters: 400, not 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jobbtorg.urls"
WSGI_APPLICATION = "jobbtorg.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jobbtorg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "jobbtorg.web.context_processors.navigation",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://user@host:5432/jobbtorg. Empty means the embedded
# SQLite database var/jobbtorg.sqlite3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'jobbtorg.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),  # DB_CONN_MAX_AGE: seconds
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Django's backends plus the audit journal's hooks: an audit entry outlives the caller's rolled-back
# transaction (docs/adr/0012). Another engine is refused by the system check audit.E002.
AUDIT_BACKENDS = {
    "django.db.backends.postgresql": "jobbtorg.audit.backends.postgresql",
    "django.db.backends.sqlite3": "jobbtorg.audit.backends.sqlite3",
}
DATABASES["default"]["ENGINE"] = AUDIT_BACKENDS.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
# In production the application refuses to connect as a PostgreSQL superuser, who could switch the
# audit log's triggers off (docs/operations.md, Database roles). AUDIT_ALLOW_SUPERUSER=1 lifts this
# for one maintenance command; never for the web processes or workers.
AUDIT_REFUSE_SUPERUSER = JOBBTORG_ENV == "production" and not DEBUG and not env_bool("AUDIT_ALLOW_SUPERUSER", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (docs/adr/0011), counted in the database so that every web process agrees.
# LOGIN_FAILURE_LIMIT failed logins for one username within LOGIN_FAILURE_WINDOW_MINUTES lock that
# username for LOGIN_LOCKOUT_MINUTES, whatever the password; LOGIN_ADDRESS_FAILURE_LIMIT failures from
# one client address (REMOTE_ADDR) lock that address the same way. 0 switches a limit off.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

# Swedish first: msgids are Swedish, English comes from locale/en (docs/adr/0003).
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["jobbtorg.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "jobbtorg" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions expire after SESSION_AGE_SECONDS of inactivity (default 8 hours, a working day).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_AGE_SECONDS", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# SECURE_COOKIES: "1" behind HTTPS (production default).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", JOBBTORG_ENV == "production")
# SECURE_SSL_REDIRECT / SECURE_HSTS_SECONDS: on by default in production.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", JOBBTORG_ENV == "production")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if JOBBTORG_ENV == "production" else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# E-mail through Django 6.1's MAILERS. EMAIL_BACKEND: "console" (embedded default; "smtp" in production
# set-up prints mails), "smtp" or "locmem" (tests). For SMTP: EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS. DEFAULT_FROM_EMAIL: the sender.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND", "smtp" if JOBBTORG_ENV == "production" else "console")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKENDS.get(_email_backend, _email_backend),
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }
            if _email_backend == "smtp"
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jobbtorg <noreply@jobbtorg.stockholm.se>")

# Background work: django.tasks with the database backend (django-tasks-db);
# `manage.py db_worker` runs it, on one or many machines against one database.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Caches (issue 8 item 9). "default" is shared by every gunicorn worker and every machine: the API
# throttle (REST_FRAMEWORK below) counts there, so API_RATE is one limit, not one per process.
# REDIS_URL (e.g. redis://127.0.0.1:6379/0): use Redis. Empty: the database holds the cache, in the
# table jobbtorg_cache that migration core/0002 creates (`migrate` is enough, no createcachetable).
# "local" is a per-process memory cache, only for values each process may keep for itself (the demo
# flag): never for counts or anything that must agree across processes.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "jobbtorg_cache"
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "jobbtorg"}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # One throttle entry per API user; expired entries are culled beyond this many.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    ),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobbtorg-local"},
}

# API_TOKEN_DAYS: an API token (manage.py create_api_token) stops working this many days after it is issued.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jobbtorg.accounts.authentication.ApiTokenAuthentication",  # Authorization: Token <key>, hashed, expiring
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jobbtorg.core.api_permissions.HasCapability"],  # required_capabilities per action (ADR 0013)
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Capped limit (a huge ?limit must not reach the database) and a JSON parser that
    # turns deeply nested input into a 400 instead of a RecursionError.
    "DEFAULT_PAGINATION_CLASS": "jobbtorg.core.api_defaults.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "jobbtorg.core.api_defaults.SafeJSONParser",
        "jobbtorg.core.api_defaults.SafeFormParser",  # these three refuse NUL (\u0000) with a 400
        "jobbtorg.core.api_defaults.SafeMultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "jobbtorg.core.api.exception_handler",
    # Signed-in users are counted in the shared "default" cache (CACHES above), so all workers
    # share one limit; anonymous callers (they reach only the schema and docs) per process.
    "DEFAULT_THROTTLE_CLASSES": [
        "jobbtorg.core.throttles.SharedUserRateThrottle",
        "jobbtorg.core.throttles.LocalAnonRateThrottle",
    ],
    # API_RATE: requests per user per minute through the API.
    # API_ANON_RATE: requests per client address per minute to the schema and docs, without login.
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_RATE", "600/min"),
        "anon": os.environ.get("API_ANON_RATE", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jobbtorg API",
    "DESCRIPTION": (
        "Jobbtorgs API för integrationer. Samma behörighetsregler och loggning som i webben. "
        "Anropen autentiseras med rubriken `Authorization: Token <nyckel>`; nyckeln utfärdas av "
        f"systemförvaltaren, visas en gång och gäller i {API_TOKEN_DAYS} dagar."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# AUDIT_RETENTION_YEARS: audit entries are kept this long, longer than the data they describe.
AUDIT_RETENTION_YEARS = int(os.environ.get("AUDIT_RETENTION_YEARS", "10"))

# LOG_LEVEL: application log level. Logs carry ids, never names or personnummer.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# SITE_URL: the address users reach Jobbtorg at, used in e-mail links.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
