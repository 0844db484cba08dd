"""Django settings for civicgrid: one module, configured by environment variables only."""

import importlib.util
import os
from pathlib import Path

import dj_database_url

from civicgrid.core.secrets import load_or_create_data_keys, load_or_create_secret

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CIVICGRID_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("CIVICGRID_DEBUG", "0") == "1"
TESTING = os.environ.get("CIVICGRID_TESTING", "0") == "1"
SECRET_KEY = os.environ.get("CIVICGRID_SECRET_KEY") or load_or_create_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = [h for h in os.environ.get("CIVICGRID_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CIVICGRID_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Reverse proxies (addresses or CIDRs) whose X-Forwarded-For / X-Forwarded-Proto are believed: see core/clientip.py
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CIVICGRID_TRUSTED_PROXIES", "").split(",") if p.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "civicgrid.core",
    "civicgrid.accounts",
    "civicgrid.notifications",
    "civicgrid.territory",
    "civicgrid.people",
    "civicgrid.assets",
    "civicgrid.cases",
    "civicgrid.volunteering",
    "civicgrid.servicecircle",
    "civicgrid.consultation",
    "civicgrid.organizations",
    "civicgrid.procurement",
    "civicgrid.partybuilding",
    "civicgrid.communityaffairs",
    "civicgrid.cockpit",  # after the modules whose figures it rolls up
    "civicgrid.basemap",
    "civicgrid.demo",
]

# Page middleware (sessions, sign-in, messages, CSP) through core.page_middleware's wrappers:
# the Open311 machine interface skips it.
MIDDLEWARE = [
    "civicgrid.core.clientip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civicgrid.core.middleware.CorrelationIdMiddleware",
    "civicgrid.core.middleware.RejectNulBytesMiddleware",
    "civicgrid.core.page_middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "civicgrid.core.page_middleware.AuthenticationMiddleware",
    "civicgrid.core.page_middleware.SessionTimeoutMiddleware",
    "civicgrid.core.page_middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civicgrid.core.page_middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civicgrid.urls"
WSGI_APPLICATION = "civicgrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicgrid.core.context_processors.platform",
            ],
        },
    },
]

# --- Database: embedded SQLite (WAL) by default, PostgreSQL through DATABASE_URL ---
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "civicgrid.sqlite3"),
            # Persistent connections (one per server thread): opening one and running the PRAGMAs below cost about
            # 3 ms of CPU, more than a whole Open311 read. IMMEDIATE takes the write lock at BEGIN, so a writer
            # waits its turn (busy timeout) instead of failing to upgrade a read lock mid-transaction.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default, Redis when REDIS_URL is set ---
REDIS_URL = os.environ.get("REDIS_URL", "")
# the name of this installation's task queue and its cache keys' prefix: several installations can share one Redis
INSTANCE = os.environ.get("CIVICGRID_INSTANCE", "civicgrid")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "" if INSTANCE == "civicgrid" else INSTANCE}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Task queue: huey on SQLite in the data dir, or on Redis (see core/taskqueue.py) ---
# seconds a stopping worker (SIGTERM) lets running tasks finish before it re-queues them; keep it below
# the stop timeout of your supervisor (systemd TimeoutStopSec=90s, `docker stop -t`, default 10 s)
WORKER_STOP_SECONDS = int(os.environ.get("CIVICGRID_WORKER_STOP_SECONDS", "25"))
# a running task's lease; its worker renews it every third of this, and the task is re-queued when it lapses
TASK_LEASE_SECONDS = int(os.environ.get("CIVICGRID_TASK_LEASE_SECONDS", "60"))
TASK_MAX_RECOVERIES = 3
_HUEY_CONSUMER = {"graceful_signal": "TERM", "shutdown_timeout": WORKER_STOP_SECONDS}
if REDIS_URL:
    HUEY = {"huey_class": "civicgrid.core.taskqueue.RedisQueue", "name": INSTANCE, "url": REDIS_URL,
            "immediate": TESTING, "consumer": _HUEY_CONSUMER}
else:
    HUEY = {
        "huey_class": "civicgrid.core.taskqueue.SqliteQueue",
        "name": "civicgrid",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": TESTING,
        "consumer": _HUEY_CONSUMER,
    }

# --- Accounts and security ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_MIN_LENGTH = int(os.environ.get("CIVICGRID_PASSWORD_MIN_LENGTH", "10"))
PASSWORD_MIN_CLASSES = int(os.environ.get("CIVICGRID_PASSWORD_MIN_CLASSES", "3"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "civicgrid.accounts.passwords.ComplexityValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_FAILURE_LIMIT = int(os.environ.get("CIVICGRID_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
# Lock the account, not the address: a subdistrict office puts dozens of staff behind one NAT address, and an
# address lockout would let one mistyped password lock out the whole office. axes warns about this (W006).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civicgrid.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "civicgrid.core.clientip.client_ip"
AXES_VERBOSE = False

# API tokens stop working this many days after they are issued (a new one is exchanged for the password).
CIVICGRID_API_TOKEN_DAYS = int(os.environ.get("CIVICGRID_API_TOKEN_DAYS", "90"))
# Party building: employees from which a non-public enterprise should have its own party organization ("两个覆盖").
PARTYBUILDING_OWN_ORG_EMPLOYEES = int(os.environ.get("CIVICGRID_PARTYBUILDING_OWN_ORG_EMPLOYEES", "50"))

SESSION_IDLE_TIMEOUT = int(os.environ.get("CIVICGRID_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("CIVICGRID_SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "civicgrid.core.views.csrf_failure"
# Browsers accept Secure cookies from http://127.0.0.1 and localhost, so `make run` keeps them on too.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("CIVICGRID_SECURE_COOKIES", "0" if DEBUG else "1") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *filter(None, [os.environ.get("CIVICGRID_TILE_HOST")])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Personal data and audit ---
DATA_KEYS = os.environ.get("CIVICGRID_DATA_KEYS") or load_or_create_data_keys(DATA_DIR / "data_keys")
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("CIVICGRID_AUDIT_RETENTION_DAYS", "365")))
# Parallel hash chains of the audit log (writers on different chains never wait for each other); unset: 16 on
# PostgreSQL, 1 on SQLite (one writer at a time anyway). Existing chains stay and verify; new ones start at the next
# audited write.
AUDIT_CHAINS = int(os.environ["CIVICGRID_AUDIT_CHAINS"]) if os.environ.get("CIVICGRID_AUDIT_CHAINS") else None

# --- Internationalization: Chinese first ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Leaflet's files come from the django-leaflet package; the app itself is not installed (its admin needs GDAL).
STATICFILES_DIRS = [Path(importlib.util.find_spec("leaflet").origin).parent / "static"]  # type: ignore[union-attr,arg-type]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Maps: no tile server unless configured (plain background) ---
TILE_URL = os.environ.get("CIVICGRID_TILE_URL", "")
# Open311: the jurisdiction_id a client may send (a wrong one is a 404), and the duplicate radius in metres
OPEN311_JURISDICTION_ID = os.environ.get("CIVICGRID_OPEN311_JURISDICTION_ID", "110107")
CASES_DUPLICATE_METERS = float(os.environ.get("CIVICGRID_DUPLICATE_METERS", "100"))

# --- Notifications: adapters per channel (file by default: DATA_DIR/outbox.log), quiet hours, limits ---
def _env_json(name: str, default):
    import json

    return json.loads(os.environ[name]) if os.environ.get(name) else default


NOTIFY_ADAPTERS = {
    "email": os.environ.get("CIVICGRID_NOTIFY_EMAIL", "file"),    # file | console | smtp
    "sms": os.environ.get("CIVICGRID_NOTIFY_SMS", "file"),        # file | console | aliyun | tencent
    "wechat": os.environ.get("CIVICGRID_NOTIFY_WECHAT", "file"),  # file | console | wechat
}
NOTIFY_SITE_URL = os.environ.get("CIVICGRID_SITE_URL", "http://127.0.0.1:8000")
NOTIFY_MAIL_DOMAIN = os.environ.get("CIVICGRID_MAIL_DOMAIN", "civicgrid.localhost")
_quiet = os.environ.get("CIVICGRID_NOTIFY_QUIET_HOURS", "21-8").split("-")
NOTIFY_QUIET_HOURS = (int(_quiet[0]), int(_quiet[1]))
NOTIFY_SMS_PER_DAY = int(os.environ.get("CIVICGRID_NOTIFY_SMS_PER_DAY", "5"))
# Call-back (回访) attempts before a caller counts as not reached; each attempt on a different working day.
CASES_CALLBACK_ATTEMPTS = max(1, int(os.environ.get("CIVICGRID_CALLBACK_ATTEMPTS", "3")))
NOTIFY_DIGEST_HOUR = int(os.environ.get("CIVICGRID_NOTIFY_DIGEST_HOUR", "8"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("CIVICGRID_NOTIFY_MAX_ATTEMPTS", "6"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("CIVICGRID_NOTIFY_RETRY_SECONDS", "60"))
NOTIFY_LEASE_SECONDS = int(os.environ.get("CIVICGRID_NOTIFY_LEASE_SECONDS", "300"))
# Provider accounts and template codes, JSON in the environment (secrets from your secret store):
NOTIFY_ALIYUN = _env_json("CIVICGRID_ALIYUN_SMS", {})   # access_key_id, access_key_secret, endpoint, sign_name
NOTIFY_TENCENT = _env_json("CIVICGRID_TENCENT_SMS", {})  # secret_id, secret_key, endpoint, region, app_id, sign_name
NOTIFY_WECHAT = _env_json("CIVICGRID_WECHAT", {})        # app_id, app_secret, endpoint
NOTIFY_SMS_TEMPLATE_CODES = _env_json("CIVICGRID_SMS_TEMPLATE_CODES", {})  # our template code -> provider's code
NOTIFY_WECHAT_TEMPLATES = _env_json("CIVICGRID_WECHAT_TEMPLATES", {})      # event kind -> template id
EMAIL_HOST = os.environ.get("CIVICGRID_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CIVICGRID_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CIVICGRID_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CIVICGRID_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CIVICGRID_EMAIL_TLS", "0") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("CIVICGRID_EMAIL_FROM", "civicgrid <noreply@civicgrid.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "civicgrid.core.middleware.CorrelationIdFilter"}},
    "formatters": {"plain": {"()": "civicgrid.core.logs.LocalTimeFormatter",
                             "format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["correlation"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("CIVICGRID_LOG_LEVEL", "INFO")},
    # huey's run_huey adds its own handler to a "huey" logger that has none, which printed every task line twice
    # (once there, once through the root handler): give it ours and stop it propagating.
    "loggers": {"django.request": {"level": "ERROR"},
                "huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
