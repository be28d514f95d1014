"""Base settings: safe defaults for a laptop, everything else from the environment.

With no variable set the platform runs on SQLite with a ``filesystem://``
Celery broker, so ``make run`` needs nothing but Python. ``DATABASE_URL`` and
``CELERY_BROKER_URL`` switch to PostgreSQL and Redis. Every variable read here
is listed, with a comment, in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from horserace.schedules import SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # SQLite file, Celery's filesystem queue, uploads

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # Third party
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_celery_results",
    # Horserace
    "horserace.core",
    "horserace.accounts",
    "horserace.notifications",
    "contests",
    "ideas",
    "voting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "horserace.core.middleware.RejectNulMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "horserace.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "horserace.urls"
WSGI_APPLICATION = "horserace.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "horserace.notifications.context_processors.notifications",
                "horserace.core.context_processors.site",
                "horserace.core.context_processors.roles",
            ],
            # |when, |day, |money, |quantity on every page (horserace.common.formats)
            "builtins": ["horserace.core.templatetags.formats"],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'horserace.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share one file: WAL lets readers and the single
    # writer proceed together, and IMMEDIATE transactions wait for the write
    # lock instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "horserace.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "horserace.accounts.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "horserace.accounts.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Sign-up is limited to the company's own mail domains; empty means no sign-up.
HORSERACE_SIGNUP_DOMAINS = [
    d.lower().lstrip("@") for d in env.list("SIGNUP_EMAIL_DOMAINS", default=[])
]

SOCIALACCOUNT_PROVIDERS = {}
if env("OIDC_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="company-sso"),
                "name": env("OIDC_PROVIDER_NAME", default="Company SSO"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": env("OIDC_SERVER_URL")},
            }
        ]
    }
# Identity-provider claims that fill the directory at each SSO login
# (horserace/accounts/sso.py): comma-separated names, tried in order.
HORSERACE_OIDC_CLAIMS = {
    "employee_number": env.list(
        "OIDC_CLAIM_EMPLOYEE_NUMBER", default=["employee_number", "employeeNumber"]
    ),
    "department": env.list("OIDC_CLAIM_DEPARTMENT", default=["department"]),
    "manager": env.list(
        "OIDC_CLAIM_MANAGER", default=["manager", "manager_employee_number"]
    ),
}
# An unknown department in a claim is created (off: left unset).
HORSERACE_OIDC_CREATE_DEPARTMENTS = env.bool("OIDC_CREATE_DEPARTMENTS", default=True)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_USERNAME_FORM_FIELD = "login"
# The browser form posts "login", the API and authenticate() use "email".
AXES_USERNAME_CALLABLE = "horserace.accounts.adapters.axes_username"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One style for dates and numbers per language (see horserace/common/formats.py).
FORMAT_MODULE_PATH = ["horserace.common.locale_formats"]
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY", default="CNY")

# --- Static and media --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads go to the local disk (MEDIA_ROOT) unless STORAGE_BACKEND=s3: then to
# an S3-compatible bucket (MinIO in docker-compose.yml), so that several hosts
# share them. The code reaches files only through the storage API.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # Unset: boto3's own chain (instance role, ~/.aws, ...).
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            # A second "plan.pdf" on an idea gets a new name, as on disk,
            # instead of replacing the first (django-storages' default).
            "file_overwrite": False,
            # Private objects: downloads go through the app's permission checks.
            "default_acl": None,
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured("STORAGE_BACKEND must be filesystem or s3.")

# `make run` works with DEBUG off and without collectstatic.
WHITENOISE_USE_FINDERS = True

# Attachments: size and type are checked before anything is stored.
HORSERACE_ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
# Bytes of an upload past that size are not kept in memory or on disk.
FILE_UPLOAD_HANDLERS = [
    "horserace.common.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
HORSERACE_ATTACHMENT_EXTENSIONS = env.list(
    "ATTACHMENT_EXTENSIONS",
    default=[
        "pdf",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "txt",
        "md",
        "csv",
        "pptx",
        "docx",
        "xlsx",
    ],
)

# --- Email ----------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Horserace <horserace@localhost>"
)

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "horserace.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "horserace.common.api.Pagination",
    # Bounded depth and finite numbers (horserace/common/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "horserace.common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "horserace.common.api.Metadata",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "horserace.common.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "horserace.common.throttling.AnonRateThrottle",
        "horserace.common.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="6000/min"),
    },
}
_token_hours = env.int("API_TOKEN_TTL_HOURS", default=240)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=_token_hours) if _token_hours else None,
    "AUTO_REFRESH": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Horserace API",
    "DESCRIPTION": (
        "Seasons, racecourses, challenges, ideas, registration and teams. "
        "Authenticate with `POST /api/auth/login/` (JSON `{email, password}`) "
        "and send `Authorization: Token <token>`; `POST /api/auth/logout/` "
        "revokes it."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # <id:pk> (horserace/common/converters.py): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "horserace.common.openapi.add_shared_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "IdeaStageEnum": "ideas.funnel.Stage",
        "WindowStageEnum": "contests.models.WindowStage",
        "RequestStatusEnum": "ideas.models.RequestStatus",
        "SeasonStatusEnum": "contests.models.Season.Status",
        "IdeaAccessKindEnum": "ideas.models.IdeaAccess.Kind",
        "ResourceKindEnum": "contests.models.ResourceKind",
        "RacecourseKindEnum": "contests.models.Racecourse.Kind",
        "NotificationChannelEnum": "horserace.notifications.events.Channel",
    },
}

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery" / "queue"
    _queue.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(exist_ok=True)
    # kombu's filesystem transport needs "in" and "out" to be one folder.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
else:
    # Redis keeps a late-acknowledged message that its worker took to the
    # grave (SIGKILL, OOM, a lost host) and hands it out again this many
    # seconds after it was delivered. It must outlast the longest task;
    # close_due_windows also runs every minute from beat, so a close that was
    # lost is picked up again anyway. Workers look for such messages every
    # 10 s (kombu's default throttle would make it every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXTENDED = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = SCHEDULE  # the one list of periodic tasks
# Late-acknowledged (idempotent) tasks: take one message at a time, and give a
# message back to the queue when its worker dies, so it runs again elsewhere.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security headers ------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # htmx adds its indicator styles inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"] + env.list("CSP_FORM_ACTION_EXTRA", default=[]),
        # An injected <base href> would otherwise re-point every relative
        # script and form URL at another host; no page embeds plugins.
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Browser features no page uses are switched off for the site and any frame,
# so injected script cannot ask for the camera, location, payment, ...
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- SCIM 2.0 provisioning (horserace/accounts/scim/) ------------------------
SCIM_SERVICE_PROVIDER = {
    "USER_ADAPTER": "horserace.accounts.scim.adapters.HorseraceSCIMUser",
    "USER_FILTER_PARSER": "horserace.accounts.scim.filters.UserFilterQuery",
    "AUTH_CHECK_MIDDLEWARE": "horserace.accounts.scim.adapters.SCIMAuthCheck",
    "SERVICE_PROVIDER_CONFIG_MODEL": (
        "horserace.accounts.scim.adapters.ServiceProviderConfig"
    ),
    "BASE_LOCATION_GETTER": "horserace.accounts.scim.adapters.scim_base_location",
    "GET_QUERYSET_POST_PROCESSOR_GETTER": (
        "horserace.accounts.scim.adapters.users_post_processor"
    ),
    "NETLOC": "unused",  # locations come from the request (scim_base_location)
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token from `manage.py scim_token EMAIL`.",
            "primary": True,
        }
    ],
}

# HR and racecourse admins may recount a live screening tally on demand, at
# most once per window in this many seconds (voting/screening/services/refresh.py).
HORSERACE_TALLY_REFRESH_SECONDS = env.int("TALLY_REFRESH_SECONDS", default=30)

# `make bench` only: mount the unchecked ballot upsert it measures as a ceiling.
# Exports (``horserace.core.exports``): more rows than this are written by a
# Celery job with progress instead of in the request; job files are kept
# this many days.
HORSERACE_EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=5000)
HORSERACE_EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)

HORSERACE_BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# The password every demo account gets from `manage.py seed_demo`.
HORSERACE_DEMO_PASSWORD = env("DEMO_PASSWORD", default="horserace-demo")
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
