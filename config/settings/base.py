"""Settings shared by every profile (dev, test, production).

Everything that differs between machines comes from environment variables, so one
code base runs on the embedded default (SQLite, local files) and on a real server:

    DATABASE_URL            database, e.g. postgres://user@127.0.0.1:5432/qingshen
                            (default: SQLite file under QINGSHEN_VAR_DIR)
    QINGSHEN_SECRET_KEY     secret key (required in production)
    QINGSHEN_DEBUG          "1" to turn on debug pages
    QINGSHEN_ALLOWED_HOSTS  comma-separated host names
    QINGSHEN_CSRF_TRUSTED_ORIGINS  comma-separated origins behind a proxy
    QINGSHEN_VAR_DIR        where the SQLite file, private files and collected
                            static files live (default: ./var)
    QINGSHEN_MEDIA_ROOT     private file storage (default: $QINGSHEN_VAR_DIR/files)
    QINGSHEN_STORAGE_BACKEND  Django storage class for private files
    QINGSHEN_PUBLIC_URL     the address printed on notice letters
    QINGSHEN_MAX_UPLOAD_MB  largest upload accepted (default 50)
    QINGSHEN_TRUSTED_PROXIES  number of reverse proxies in front (client address from
                            X-Forwarded-For); 0 by default
    QINGSHEN_SMS_SENDER     dotted path of the SMS sender class (default: the database
                            sender, nothing leaves the machine; see docs/notifications.md)
    QINGSHEN_SMS_HTTP_URL, _ACCOUNT, _KEY, _SIGNATURE, _TIMEOUT
                            the HTTP SMS gateway, for qingshen.notifications.senders.HttpSender
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("QINGSHEN_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = env("QINGSHEN_SECRET_KEY", "django-insecure-qingshen-development-only")
DEBUG = env_bool("QINGSHEN_DEBUG", False)
ALLOWED_HOSTS = env_list("QINGSHEN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("QINGSHEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "qingshen.core",
    "qingshen.regions",
    "qingshen.industries",
    "qingshen.organizations",
    "qingshen.accounts",
    "qingshen.audit_trail",
    "qingshen.enterprises",
    "qingshen.jobs",
    "qingshen.files",
    "qingshen.campaigns",
    "qingshen.rosters",
    "qingshen.notices",
    "qingshen.projects",
    "qingshen.evidence",
    "qingshen.project_start",
    "qingshen.filings",
    "qingshen.audit_data",
    "qingshen.options",
    "qingshen.applications",
    "qingshen.benchmarking",
    "qingshen.experts",
    "qingshen.reviews",
    "qingshen.notifications",
    "qingshen.supervision",
    "qingshen.permits",
    "qingshen.summaries",
    "qingshen.enforcement",
    "qingshen.production_checks",
    "qingshen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qingshen.core.middleware.RequestContextMiddleware",
    "qingshen.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qingshen.files.middleware.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qingshen.core.context_processors.navigation",
                "qingshen.notifications.context_processors.unread_messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qingshen.sqlite3'}"),
        conn_max_age=int(env("QINGSHEN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take the write lock up front, so two writers never read the
    # same audit-trail head and then collide on commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "qingshen.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "qingshen.accounts.validators.CharacterClassValidator"},
    {"NAME": "qingshen.accounts.validators.NotAccountNameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes without a request; every request renews them.
SESSION_COOKIE_AGE = int(env("QINGSHEN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "qingshen.core.csrf.csrf_failure"

# Login throttling (django-axes): five failures for one account, or from one address,
# lock that account or address for 15 minutes. A successful sign-in clears only that
# account's own failures (qingshen.accounts.signals), never other accounts' failures from the
# same address — otherwise anyone with an account could guess another's password without end.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "qingshen.core.network.client_ip"
# How many reverse proxies stand in front of the application (see qingshen.core.network).
QINGSHEN_TRUSTED_PROXIES = int(env("QINGSHEN_TRUSTED_PROXIES", "0"))
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("QINGSHEN_STATIC_ROOT", VAR_DIR / "static"))
FRONTEND_MODULES = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/tabler", FRONTEND_MODULES / "@tabler" / "core" / "dist"),
    ("vendor/tabler-icons", FRONTEND_MODULES / "@tabler" / "icons-webfont" / "dist"),
    ("vendor/echarts", FRONTEND_MODULES / "echarts" / "dist"),
]

# Uploaded and generated files are private: there is no MEDIA_URL route; every file is
# served by a view that checks the user may see the object it belongs to.
MEDIA_ROOT = Path(env("QINGSHEN_MEDIA_ROOT", VAR_DIR / "files"))
MEDIA_URL = None
STORAGES = {
    "default": {
        "BACKEND": env("QINGSHEN_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Background tasks -----------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- API ------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API request is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qingshen.core.api_permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "清审 Qingshen API",
    "DESCRIPTION": "河北省强制性清洁生产审核管理系统接口。所有接口按登录账号的辖区过滤数据。",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets several models share, named once.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseStatusEnum": "qingshen.enterprises.choices.Status",
        "ReportStatusEnum": "qingshen.campaigns.reporting.UpwardReport.Status",
    },
}

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("QINGSHEN_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The address printed on notice letters for enterprises to sign in.
QINGSHEN_PUBLIC_URL = env("QINGSHEN_PUBLIC_URL", "http://127.0.0.1:8000/")
# Largest request body accepted (uploads); larger ones are refused before they are read.
QINGSHEN_MAX_UPLOAD_BYTES = int(env("QINGSHEN_MAX_UPLOAD_MB", "50")) * 1024 * 1024

# SMS: the sender class (docs/notifications.md), and the HTTP gateway HttpSender talks to.
QINGSHEN_SMS_SENDER = env("QINGSHEN_SMS_SENDER", "qingshen.notifications.senders.DatabaseSender")
QINGSHEN_SMS_HTTP_URL = env("QINGSHEN_SMS_HTTP_URL", "")
QINGSHEN_SMS_HTTP_ACCOUNT = env("QINGSHEN_SMS_HTTP_ACCOUNT", "")
QINGSHEN_SMS_HTTP_KEY = env("QINGSHEN_SMS_HTTP_KEY", "")
QINGSHEN_SMS_HTTP_SIGNATURE = env("QINGSHEN_SMS_HTTP_SIGNATURE", "清审")
QINGSHEN_SMS_HTTP_TIMEOUT = float(env("QINGSHEN_SMS_HTTP_TIMEOUT", "10"))

QINGSHEN_PRODUCT_NAME = "清审"
QINGSHEN_FULL_NAME = "河北省强制性清洁生产审核管理系统"
