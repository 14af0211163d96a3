"""Settings for Open Circle, all read from the environment.

The defaults are the embedded development set-up (SQLite, in-memory channel layer, console
email, no keys). Production sets ``DJANGO_SETTINGS_MODULE=marketplace.settings_production``.
Every variable is listed in the README's configuration table.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A request rate such as "60/min" (or several: "60/min,15/10s"), checked when the settings load."""
    from django.core.exceptions import ImproperlyConfigured

    from marketplace.rates import parse_rates

    value = os.environ.get(name, default).strip()
    try:
        parse_rates(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)
# Development-only key: production settings refuse to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghij")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# How many proxies we run in front of the app, each appending to X-Forwarded-For. 0: the header is ignored
# and the client is REMOTE_ADDR. Every limiter takes the client's address from marketplace.client_ip,
# which reads this; allauth and DRF are given the same number below.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT is the number of proxies in front of the app: 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None  # no single-address header: X-Forwarded-For, as above
SITE_ID = 1
SITE_NAME = "Open Circle"
# Absolute links in emails (notifications) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servestatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API documentation's script and styles, served from /static/
    "django_filters",
    "django_htmx",
    "csp",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "profiles",
    "matching",
    "peer_support",
    "messaging",
    "payments",
    "ratings",
    "notifications",
    "inclusion",
    "planning",
    "community",
    "marketplace",  # the top layer's management commands (seed_demo sets up every app's demo data)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",  # static files, pre-compressed at collectstatic
    # Pages and API answers compressed (static files never reach it). Django adds random bytes to each
    # compressed response against BREACH (GZIP_MAX_RANDOM_BYTES), and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the language cookie or the browser's languages
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "inclusion.middleware.PersonLanguageMiddleware",  # a signed-in person's saved language wins
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "profiles.middleware.RequireMFAMiddleware",
    "marketplace.throttling.SearchPageLimitMiddleware",  # per-IP limit on the HTML search pages
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "marketplace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                "notifications.context_processors.unread",
                "inclusion.context_processors.display",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the task worker and imports share one file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # Each worker runs requests on a few long-lived threads (marketplace/handlers.py), so Django's own
    # persistent connections keep one open connection per thread (docs/decisions/sqlite-connection-pool.md).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and int(
    os.environ.get("DATABASE_POOL_SIZE", "10")
):
    # The same reason on PostgreSQL, where a new connection costs a server process: Django's own pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "10")),
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# seed_demo loads made-up people and accounts with a public password: never on a real site.
DEMO_DATA_ALLOWED = True
AUTH_USER_MODEL = "profiles.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    # Redis, and the database while Redis does not answer (marketplace/cache_failover.py): sign-in and
    # password-reset limits and every page keep working through a Redis outage, and limits stay on.
    CACHES = {
        "default": {
            "BACKEND": "marketplace.cache_failover.FailoverCache",
            "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database", "RETRY_SECONDS": 5},
        },
        "redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 1},
        },
    }
else:
    # One process only: with more workers, set REDIS_URL. See messaging/layers.py for why not the stock class.
    CHANNEL_LAYERS = {"default": {"BACKEND": "messaging.layers.InMemoryChannelLayer"}}
    # Messaging keeps a rate-limit window and a "notification queued" mark per person here: the default
    # 300 entries culled them with more than a few hundred people online (so every send re-queried).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
    }
# The failover cache's table (created by messaging's migration 0002, the same name there); defined
# in every set-up so the table always exists.
CACHES["database"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "cache_fallback",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
# Sessions live in the database (never only in Redis), so a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
# Each language named in itself (the switcher shows these). English is the source language; the others are
# drafts until a fluent speaker reviews them (docs/languages.md). Urdu and Arabic are right to left.
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("pl", "Polski"),
    ("ur", "اردو"),
    ("pa", "ਪੰਜਾਬੀ"),
    ("bn", "বাংলা"),
    ("ro", "Română"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Production's static files: hashed names, and compressed copies made at collectstatic that ServeStatic
# sends to browsers accepting them (settings_production uses it; the page-weight browser test measures it).
PRODUCTION_STATICFILES = {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Uploaded images larger than this many pixels are refused before decoding (profiles/images.py).
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 25_000_000))
# Video introductions (inclusion/video.py): MP4 only, at most this many bytes and seconds.
VIDEO_MAX_BYTES = int(os.environ.get("VIDEO_MAX_BYTES", 50 * 1024 * 1024))
VIDEO_MAX_SECONDS = int(os.environ.get("VIDEO_MAX_SECONDS", 180))

# Email: console in development, SMTP when EMAIL_URL-style settings are given.
_email_file_path = os.environ.get("EMAIL_FILE_PATH", "")
if os.environ.get("EMAIL_HOST"):
    _mail_backend = "django.core.mail.backends.smtp.EmailBackend"
    _mail_options = {
        "host": os.environ["EMAIL_HOST"],
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 10,
    }
elif _email_file_path:
    _mail_backend = "django.core.mail.backends.filebased.EmailBackend"
    _mail_options = {"file_path": _email_file_path}
else:
    _mail_backend = "django.core.mail.backends.console.EmailBackend"
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Open Circle <hello@opencircle.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts (django-allauth): email only, verified, login by code, MFA.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Open Circle] "
# allauth's limits are per IP (or per signed-in user) only. The per-account limit on wrong passwords is a
# backoff per account AND address (marketplace/throttling.py, SIGNIN_* below): allauth's "5/5m/key" let
# anyone lock anyone out. Asking for an emailed code is limited per email and address the same way
# (profiles.adapters.RequestLoginCodeForm, THROTTLE_RATES "login_code_*"), so the code always gets through.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "request_login_code": "20/m/ip",
    "reauthenticate": "10/m/user",
}
# Wrong passwords for one account from one address: this many free, then a wait that doubles from
# BASE to MAX seconds; forgotten an hour after the last one. From every address together, password
# sign-in to one account pauses after this many failures in an hour (0: no ceiling); codes still work.
SIGNIN_FREE_ATTEMPTS = int(os.environ.get("DJANGO_SIGNIN_FREE_ATTEMPTS", "5"))
SIGNIN_BACKOFF_BASE_SECONDS = 30
SIGNIN_BACKOFF_MAX_SECONDS = 15 * 60
SIGNIN_FORGET_AFTER_SECONDS = 3600
SIGNIN_ACCOUNT_FAILURES_PER_HOUR = int(os.environ.get("DJANGO_SIGNIN_ACCOUNT_FAILURES_PER_HOUR", "100"))
ACCOUNT_ADAPTER = "profiles.adapters.AccountAdapter"
# Sign-up asks for the name others see; allauth's emails name the person by it (User.display_name).
ACCOUNT_FORMS = {"signup": "profiles.forms.SignupForm"}
# Asking for an emailed sign-in code: limited per email and address together (see ACCOUNT_RATE_LIMITS).
ACCOUNT_FORMS["request_login_code"] = "profiles.adapters.RequestLoginCodeForm"
ACCOUNT_USER_DISPLAY = "profiles.adapters.user_display"
LOGIN_REDIRECT_URL = "profiles:dashboard"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Open Circle"
# Roles that see other people's referrals, moderate or judge others must use a second factor (pages and API).
MFA_REQUIRED_FOR = {"coordinator", "moderator", "panel_member", "staff"}

# Request limits (marketplace/throttling.py; docs/security-limits.md). Rates are "N/period": 60/min, 1000/hour,
# 10/30s, or several that must all hold: "60/min,15/10s". Counters live in the default cache, so they are
# shared by every worker when REDIS_URL is set.
THROTTLE_RATES = {
    "anon": env_rate(
        "DJANGO_THROTTLE_ANON", "60/min,15/10s"
    ),  # API, not signed in: per IP (and no more than 15 at once)
    "user": env_rate("DJANGO_THROTTLE_USER", "600/min"),  # API, signed in (session or token): per person
    "write": env_rate("DJANGO_THROTTLE_WRITE", "60/min"),  # API POST/PUT/PATCH/DELETE: per person or IP
    "search_pages": env_rate("DJANGO_THROTTLE_SEARCH_PAGES", "120/min"),  # HTML register and match pages: per IP
    "login_code_here": env_rate("DJANGO_THROTTLE_LOGIN_CODE", "6/hour"),  # emailed sign-in codes: per email and IP
    "login_code_email": env_rate("DJANGO_THROTTLE_LOGIN_CODE_EMAIL", "30/hour"),  # per email, from everywhere
    "messages": "30/min",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "profiles.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.exceptions.api_exception_handler",
    # JSON too deeply nested, or with a NUL character, is a 400 (marketplace/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "marketplace.throttling.WriteThrottle",
        "marketplace.throttling.AnonThrottle",
        "marketplace.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    # DRF's own reading of X-Forwarded-For, if anything calls it, agrees with marketplace.client_ip.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Circle API",
    "DESCRIPTION": "The open register, matching, messaging, ratings and bookings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ is Swagger UI served from /static/ (not a CDN: the content security policy allows only our
    # own scripts and styles), with its start-up script at its own URL rather than inline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The enum hook is drf-spectacular's default; ours documents the shared error answers (400, 403, 404, 429).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.openapi.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VisibilityEnum": "profiles.models.Visibility.choices",
        "ProposalAnswerEnum": "peer_support.models.PROPOSAL_ANSWER_CHOICES",
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Content Security Policy: no inline script; htmx and our own script are served from /static/.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Learned matching weights (matching.ModelVersion, in the database): trained weights go live only from
# at least this many real outcomes, and a factor below this share of its hand-set weight waits for staff
# approval (docs/decisions/learning-safeguards.md).
MATCHING_MIN_REAL_OUTCOMES = int(os.environ.get("MATCHING_MIN_REAL_OUTCOMES", "200"))
MATCHING_WEIGHT_FLOOR = float(os.environ.get("MATCHING_WEIGHT_FLOOR", "0.5"))

# Consent wording is versioned: the version is stored with each consent given.
SENSITIVE_CONSENT_VERSION = "2026-11-v1"

STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Published aggregates (quality distributions, monthly averages, poll results) need at least this many answers.
PUBLISH_MIN_COUNT = int(os.environ.get("PUBLISH_MIN_COUNT", "10"))
# A Stripe event that has failed this many times is not retried again: it waits for a person (admin).
STRIPE_EVENT_MAX_ATTEMPTS = int(os.environ.get("STRIPE_EVENT_MAX_ATTEMPTS", "5"))
PLATFORM_FEE_PERCENT = os.environ.get("PLATFORM_FEE_PERCENT", "0")
# Community resources (community/): a map tile URL template for an interactive map; empty (the default) draws
# a plain map of districts on the server. A published listing not checked for this many days is flagged.
COMMUNITY_MAP_TILE_URL = os.environ.get("COMMUNITY_MAP_TILE_URL", "")
# Shown on the interactive map (tile providers require it, e.g. "© OpenStreetMap contributors").
COMMUNITY_MAP_ATTRIBUTION = os.environ.get("COMMUNITY_MAP_ATTRIBUTION", "")


def map_tile_origin(url: str) -> str:
    """The origin map tiles come from, for the content security policy's img-src: a template's ``{s}``
    subdomain becomes ``*``. Empty for no URL or one that is not https (or http on this machine)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "s-subdomain"))
    local = parts.hostname in {"localhost", "127.0.0.1"}
    if not parts.hostname or parts.scheme not in ({"https", "http"} if local else {"https"}):
        return ""
    host = parts.netloc.replace("s-subdomain", "*")
    return f"{parts.scheme}://{host}"


if map_tile_origin(COMMUNITY_MAP_TILE_URL):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(map_tile_origin(COMMUNITY_MAP_TILE_URL))
COMMUNITY_FRESH_DAYS = int(os.environ.get("COMMUNITY_FRESH_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING", "propagate": True}},
}
