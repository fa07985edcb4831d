"""Settings for the defence meetings dashboard.

Every setting that differs between machines comes from an environment variable with a
safe default for development. ``DJANGO_ENV=production`` switches to production mode,
which refuses to start on an unsafe value instead of quietly running with it.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")

if PRODUCTION:
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY (50+ random characters).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs ALLOWED_HOSTS (comma-separated).")
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses DEBUG=true.")
elif not SECRET_KEY:
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "meetings",
    "meetings.audit",
    "meetings.accounts",
]

MIDDLEWARE = [
    # Outermost: whatever answers an /api/ request with an error page, the client gets JSON.
    "meetings.api.errors.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in with the organisation's directory (meetings/accounts/directory.py): LDAP or
# Active Directory when LDAP_SERVER_URI is set; see the README for every variable.
# Local accounts (the demo's, break-glass administrators) keep working unless
# LOCAL_SIGN_IN=false.
LDAP_ENABLED = bool(os.environ.get("LDAP_SERVER_URI"))
if LDAP_ENABLED:
    from meetings.accounts.config import ldap_settings

    globals().update(ldap_settings(os.environ))
# OpenID Connect (meetings/accounts/oidc.py) when OIDC_CLIENT_ID is set.
OIDC_ENABLED = bool(os.environ.get("OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    from meetings.accounts.config import oidc_settings, origin

    globals().update(oidc_settings(os.environ))
LOCAL_SIGN_IN = env_bool("LOCAL_SIGN_IN", True)
AUTHENTICATION_BACKENDS = [
    # First: refuses a throttled try before any backend checks its password.
    "meetings.accounts.throttling.ThrottledBackend",
    *(["meetings.accounts.directory.DirectoryBackend"] if LDAP_ENABLED else []),
    *(["meetings.accounts.oidc.ProviderBackend"] if OIDC_ENABLED else []),
    "meetings.accounts.backends.LocalAccounts",
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
                "meetings.context_processors.navigation",
            ],
        },
    },
]

# SQLite in the project folder by default, so the demo runs on a bare machine;
# any PostgreSQL URL (postgres://user@host:5432/name) works through psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people writing at once wait their turn instead of one getting "database is
    # locked": readers never block the writer (WAL), a writer waits up to 20 s for the
    # other, and every transaction takes the write lock when it begins, since SQLite
    # cannot wait for a read transaction that later turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# models.W040, once per covering index: SQLite cannot hold an index's INCLUDE columns and
# builds it on its key columns alone, correct and only less fast; PostgreSQL reads the
# extra columns from the index. On SQLite `runserver` counts them as "(12 silenced)".
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "meetings.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Marked documents: not readable by other accounts on the machine (a front server that
# sends files itself needs to be in the app's group).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
# Who sends a downloaded file's bytes once the app has checked clearance: the app itself
# (""), nginx from an internal location (X-Accel-Redirect to FILE_SERVER_PREFIX + the
# stored name), or Apache/lighttpd (X-Sendfile with the file's path). See docs/deployment.md.
FILE_SERVER = os.environ.get("FILE_SERVER", "").strip().lower()
FILE_SERVER_PREFIX = os.environ.get("FILE_SERVER_PREFIX", "/protected-files/")
if FILE_SERVER not in ("", "nginx", "sendfile"):
    raise ImproperlyConfigured("FILE_SERVER is '' (the app), 'nginx' or 'sendfile'.")
# Uploaded files live in Django's default storage: MEDIA_ROOT on this machine, or with
# STORAGE_BACKEND=s3 a bucket of any S3-compatible object store (django-storages), so
# that several app servers share them. The app streams them either way, after checking
# clearance; the bucket needs no public access. See docs/deployment.md.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower()
if STORAGE_BACKEND == "filesystem":
    media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET.")
    if FILE_SERVER:
        raise ImproperlyConfigured("FILE_SERVER sends files from a local disk: leave it empty with S3.")
    media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Empty: boto3 finds credentials itself (AWS_* variables, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured("STORAGE_BACKEND is 'filesystem' or 's3'.")
STORAGES = {
    "default": media_storage,
    "staticfiles": {
        "BACKEND": (
            "meetings.staticfiles.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# A pasted press release may run to a few megabytes; the page then says plainly that it
# is too long instead of Django answering a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# The classification scale, lowest first. A meeting carries one marking; a user's
# clearance is the highest marking they may see.
CLASSIFICATION_LEVELS = env_list("CLASSIFICATION_LEVELS", "UNCLASSIFIED,RESTRICTED,CONFIDENTIAL,SECRET")

# E-mail: printed to the console in development unless EMAIL_HOST is set; production always
# sends over SMTP (to a local mail server on port 25 unless told otherwise).
email_host = os.environ.get("EMAIL_HOST", "")
email_use_tls, email_use_ssl = env_bool("EMAIL_USE_TLS", False), env_bool("EMAIL_USE_SSL", False)
if email_use_tls and email_use_ssl:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: choose one.")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": email_host or "localhost",
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": email_use_tls,
            "use_ssl": email_use_ssl,
            "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
        },
    }
    if email_host or PRODUCTION
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "defence-meetings@localhost")

# The app's own address, for links in e-mails sent from outside a request (cron).
SITE_URL = os.environ.get(
    "SITE_URL", f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")

# Reminder e-mails leave the system: they spell out actions of meetings marked at most
# this, and only count the others.
REMINDER_MAX_CLASSIFICATION = os.environ.get("REMINDER_MAX_CLASSIFICATION", CLASSIFICATION_LEVELS[0]).upper()
if REMINDER_MAX_CLASSIFICATION not in [level.upper() for level in CLASSIFICATION_LEVELS]:
    raise ImproperlyConfigured(
        f"REMINDER_MAX_CLASSIFICATION must be one of {', '.join(CLASSIFICATION_LEVELS)}."
    )

# Set by bin/demo: the dashboard then points to the reference meeting of the demo data.
DEMO = env_bool("DEMO", False)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Background work (imports, reminders) runs on Django's tasks framework, queued in the
# database and run by `manage.py db_worker`. TASKS_IMMEDIATE=true runs each task at once in
# the process that queues it instead, for a setup without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# A cache shared by every app process: redis://host:6379/0, or db:// for a table in the
# database (run `manage.py createcachetable` once). Without it, each process has its own.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "meetings",
        }
    }
elif CACHE_URL == "db://":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be redis://…, rediss://…, unix://… or db://")
# Dashboard figures are kept this long, and recomputed as soon as a record changes. They
# cost a few small queries without a cache too (meetings/derived.py).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600" if CACHE_URL else "0"))

# Idle sessions end: every request pushes the expiry on by this much. The session store
# (meetings/sessions.py) writes that to the database at most once a minute, and reads
# sessions from the shared cache when there is one.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "meetings.sessions"
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSIONS_IN_CACHE = bool(CACHE_URL)

# Sign-in protection (meetings/accounts/throttling.py): lock a username from one address
# after repeated failures; slow, then lock, a username failing from many addresses; stop an
# address trying many usernames. Locking by address alone would shut out a whole office
# behind one gateway, so an address over its limit may still sign in the names it knows.
SIGN_IN_SLOW_AFTER = int(os.environ.get("SIGN_IN_SLOW_AFTER", "10"))
SIGN_IN_LOCK_AFTER = int(os.environ.get("SIGN_IN_LOCK_AFTER", "20"))
SIGN_IN_ADDRESS_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_LIMIT", "30"))
SIGN_IN_ADDRESS_MINUTES = int(os.environ.get("SIGN_IN_ADDRESS_MINUTES", "15"))
SIGN_IN_KNOWN_ADDRESS_DAYS = int(os.environ.get("SIGN_IN_KNOWN_ADDRESS_DAYS", "90"))
PASSWORD_RESET_PER_ACCOUNT = int(os.environ.get("PASSWORD_RESET_PER_ACCOUNT", "3"))
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "10"))
# Behind reverse proxies, how many: the person's address is then read from X-Forwarded-For.
if os.environ.get("SIGN_IN_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["SIGN_IN_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    # The proxies append to the right: what the person sent themselves is on the left.
    AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# A second factor for local accounts (meetings/accounts/mfa.py): required of administrators
# in production unless set otherwise; "all" asks it of everyone, "off" of nobody (those who
# set one up are still asked for it).
MFA_REQUIRED = os.environ.get("MFA_REQUIRED", "admins" if PRODUCTION else "off").strip().lower()
if MFA_REQUIRED not in {"admins", "all", "off"}:
    raise ImproperlyConfigured("MFA_REQUIRED must be admins, all or off.")
OTP_TOTP_ISSUER = os.environ.get("MFA_ISSUER", "Defence meetings")

# The read audit (meetings/audit/): reads and exports of records marked at least this are
# recorded (by default everything above the lowest marking); sign-in events always.
AUDIT_READS_FROM = os.environ.get(
    "AUDIT_READS_FROM", CLASSIFICATION_LEVELS[1 if len(CLASSIFICATION_LEVELS) > 1 else 0]
)
if AUDIT_READS_FROM.upper() not in [level.upper() for level in CLASSIFICATION_LEVELS]:
    raise ImproperlyConfigured(f"AUDIT_READS_FROM must be one of {', '.join(CLASSIFICATION_LEVELS)}.")
AUDIT_READS_FROM_LEVEL = [level.upper() for level in CLASSIFICATION_LEVELS].index(AUDIT_READS_FROM.upper())
# On PostgreSQL an audit row commits without waiting for the disk unless this is true.
AUDIT_SYNCHRONOUS = env_bool("AUDIT_SYNCHRONOUS", False)
# `manage.py prune_audit` removes events older than this.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", str(3 * 365)))

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content-Security-Policy, in every mode so that development and tests meet it too: every
# script, style, font and image comes from this server, and no inline script runs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if OIDC_ENABLED and os.environ.get("OIDC_END_SESSION_ENDPOINT"):
    # Signing out (a form) ends at the provider, which ends its own session there.
    SECURE_CSP["form-action"].append(origin(os.environ["OIDC_END_SESSION_ENDPOINT"]))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The JSON API (meetings/api/): a personal token or the browser's session, the lists'
# own filters, pages capped at 100 rows, and a request budget per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["meetings.api.permissions.ReadOrEdit"],
    "DEFAULT_FILTER_BACKENDS": [
        "meetings.api.filtering.Filters",
        "meetings.api.pagination.Ordering",
    ],
    "DEFAULT_PAGINATION_CLASS": "meetings.api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["meetings.api.permissions.TokenThrottle"],
    # JSON only: the browsable renderer's forms would list every related record, and the
    # interactive documentation at /api/docs/ serves people in the browser.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Writes are JSON only: rows and lists of ids do not travel as form fields.
    "DEFAULT_PARSER_CLASSES": ["meetings.api.errors.SafeJSONParser"],
    "EXCEPTION_HANDLER": "meetings.api.errors.handle_exception",
    "DEFAULT_SCHEMA_CLASS": "meetings.api.schema.ApiSchema",
    "ORDERING_PARAM": "sort",
}
# Requests a token may make per hour; session use in the browser is not counted.
API_TOKEN_RATE = os.environ.get("API_TOKEN_RATE", "3600/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Defence meetings API",
    "DESCRIPTION": (
        "Meetings, people, organisations, topics and agreed actions. Authenticate with "
        "`Authorization: Token <key>` (make your own in the app: user menu › API token, "
        "`/account/api-token/`), or sign in to the app in this browser. Lists "
        "take the same filters as the app's lists, `sort`, `page` and `per_page` (at most 100)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,  # 250 countries listed under every country field
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "meetings.filters.COUNTRY_CHOICES",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "AttendanceRoleEnum": "meetings.models.Attendance.Role",
        "AttendanceStatusEnum": "meetings.models.Attendance.Status",
        "ActionStatusEnum": "meetings.models.Action.Status",
        "OrganizationKindEnum": "meetings.models.Organization.Kind",
        "SourceKindEnum": "meetings.models.Source.Kind",
    },
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "persistAuthorization": False},
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets in addresses (the calendar feed's, a password reset's) are logged as a prefix.
    "filters": {"redact_secrets": {"()": "meetings.redaction.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print each of its lines a second time.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "meetings.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # meetings.security logs each sign-in event once; django-axes' own account of it
        # (several lines an attempt) shows with LOG_LEVEL=DEBUG, its errors always.
        "axes": {
            "handlers": ["console"],
            "level": "DEBUG" if LOG_LEVEL == "DEBUG" else "ERROR",
            "propagate": False,
        },
    },
}
