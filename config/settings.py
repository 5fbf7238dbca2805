"""OCOP Connect settings: one module, every value from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.storages import filesystem_storages, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OCOP_VAR_DIR", str(BASE_DIR / "var")))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", default=False)
TESTING = env_bool("OCOP_TESTING", default=False)

_secret = env_str("DJANGO_SECRET_KEY", "")
if not _secret:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (production mode).")
    _secret = "insecure-development-key-not-for-production"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names in production mode.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files (no CDN)
    "corsheaders",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: its `db_worker` command is ocop.core's, which reconnects after a dropped database.
    "ocop.core",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "ocop.geo",
    "ocop.accounts",
    "ocop.producers",
    "ocop.catalog",
    "ocop.certification",
    "ocop.market",
    "ocop.stamps",
    "ocop.office",
    "ocop.spreadsheets",
    "ocop.evaluation",
    "ocop.dashboards",
    "ocop.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop.core.db.ReplicaReadsMiddleware",  # visitors' public reads from the replica, when there is one
    "ocop.core.middleware.ClientAddressMiddleware",
    "ocop.core.middleware.LanguageMiddleware",
    "ocop.core.middleware.RefuseBadTextMiddleware",  # after the language: its 400 speaks the visitor's
    "ocop.core.pagecache.PublicPageCacheMiddleware",  # anonymous public pages from the cache, versioned by data
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ocop.core.middleware.SiteAddressMiddleware",  # absolute links in e-mails without OCOP_SITE_URL
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ocop.accounts.second_factor.SecondFactorMiddleware",  # a signed-in account gives its code before anything
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# CORS: the API's public reads may be called from any web page; no credentials and no Authorization
# header cross-origin, so tokens are only ever used server to server.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("etag", "last-modified", "retry-after")

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocop.core.context_processors.notifications",
            ],
        },
    },
    {  # the hottest public page only (the stamp scan page): see ocop/core/jinja.py
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "ocop.core.jinja.environment", "autoescape": True},
    },
]

# Databases: SQLite under var/ unless DATABASE_URL says otherwise.
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    # Kept open between requests as PostgreSQL's are: opening a connection and running the pragmas below cost
    # about 3 ms, more than most pages' queries (issue 20's product page).
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "ocop.sqlite3"),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, minimum=0),
    }
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
            " PRAGMA mmap_size=1073741824;"
        ),
        # Writers take the lock when they begin (no "database is locked" upgrades mid-transaction). In WAL mode
        # EXCLUSIVE is the same as IMMEDIATE (readers go on); the task queue's worker asks for it by name.
        "transaction_mode": "EXCLUSIVE",
    }
    # Tests use a file too (WAL, busy timeout), as production does: an in-memory database shared between
    # threads answers "locked" instead of waiting, which would make concurrency tests meaningless.
    _db["TEST"] = {} if env_bool("OCOP_TEST_DB_IN_MEMORY") else {"NAME": str(VAR_DIR / "test.sqlite3")}
elif env_bool("DB_POOL"):
    # psycopg 3's connection pool in each process (Django 5.1+); persistent connections must then be off.
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 2, minimum=1),
        "max_size": env_int("DB_POOL_MAX", 10, minimum=1),
        "timeout": 10,
    }
DATABASES = {"default": _db}
# An optional read replica (streaming replication of the primary) for the visitors' public reads.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    try:
        _replica = dj_database_url.parse(_replica_url, conn_max_age=_db.get("CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from None
    _replica["OPTIONS"] = {**_db.get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["ocop.core.db.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a login while the username or address is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"  # each role's own work page
LOGOUT_REDIRECT_URL = "site:home"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Links typed without a scheme are read as https:// (the Django 6 default, opted into now).
FORMS_URLFIELD_ASSUME_HTTPS = True
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "ocop_language"
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("OCOP_MEDIA_ROOT", str(VAR_DIR / "media")))
# Signed addresses of private files (evidence) expire after this many seconds.
OCOP_PRIVATE_URL_SECONDS = env_int("OCOP_PRIVATE_URL_SECONDS", 300, minimum=1)
STORAGES = {
    # Uploaded public media on this machine's disk (MEDIA_ROOT); private files under VAR_DIR/private.
    **filesystem_storages(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several app servers share an S3-compatible bucket instead (MinIO, Ceph, AWS...): MEDIA_STORAGE=s3.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    STORAGES.update(
        s3_storages(
            bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
            endpoint_url=env_str("AWS_S3_ENDPOINT_URL", ""),
            region=env_str("AWS_S3_REGION_NAME", ""),
            access_key=env_str("AWS_ACCESS_KEY_ID", ""),
            secret_key=env_str("AWS_SECRET_ACCESS_KEY", ""),
            private_url_seconds=OCOP_PRIVATE_URL_SECONDS,
        )
    )
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE={MEDIA_STORAGE!r} is not one of filesystem, s3.")

# E-mail goes through Django's backends: console in development, SMTP when configured.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or TESTING)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file backend (staging, checks)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before giving up on the mail server: a mail server that stops answering must not hold a web worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OCOP Connect <no-reply@ocop.localhost>")

# The default is a cache on disk under var/, shared by every process of one machine (`make run` starts the web
# server, the task worker and the scheduler as separate processes: a worker's import must show on the pages at
# once). The tests keep a cache per process.
_cache_backend = env_str("OCOP_CACHE", "locmem" if TESTING else "file")
_CACHE_BACKENDS = {
    "file": "django.core.cache.backends.filebased.FileBasedCache",  # shared by the processes of one machine
    "locmem": "django.core.cache.backends.locmem.LocMemCache",  # one process only
    "redis": "ocop.core.cache.RedisCache",  # shared by every app server (REDIS_URL); Django's, one client per pool
    "dummy": "django.core.cache.backends.dummy.DummyCache",  # benchmarks of the uncached pages
}
if _cache_backend not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"OCOP_CACHE={_cache_backend!r} is not one of {', '.join(_CACHE_BACKENDS)}.")
CACHES: dict[str, dict] = {"default": {"BACKEND": _CACHE_BACKENDS[_cache_backend]}}
if _cache_backend == "file":
    CACHES["default"].update(LOCATION=str(VAR_DIR / "cache"), OPTIONS={"MAX_ENTRIES": 20000})
if _cache_backend == "redis":
    CACHES["default"].update(
        LOCATION=env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        KEY_PREFIX=env_str("OCOP_CACHE_PREFIX", "ocop"),
        TIMEOUT=300,
    )
    # Sessions in the shared cache, written through to the database: a login on one server holds on another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks (django-tasks, the backport of Django 6's tasks): a database queue worked by
# `manage.py db_worker`; "immediate" runs each task inside the request (a single-process set-up).
_tasks_backend = env_str("OCOP_TASKS", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"OCOP_TASKS={_tasks_backend!r} is not one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}

# Security: strict in production mode, relaxed only for the development server.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production redirects plain HTTP to HTTPS (behind a proxy, set DJANGO_BEHIND_PROXY so the scheme is known).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS >= 31536000)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
# The proxies whose X-Forwarded-For is believed (addresses or networks): the client is the last address in it
# that is not one of them. Behind the documented nginx on the same machine, loopback; with none, the socket's.
OCOP_TRUSTED_PROXIES = env_list("OCOP_TRUSTED_PROXIES", ["127.0.0.1", "::1"] if env_bool("DJANGO_BEHIND_PROXY") else [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only the site's own scripts and styles, no inline script or style.
_tile_origin = "/".join(env_str("OCOP_MAP_TILE_URL", "").split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Failed logins (django-axes): 5 failures for a username from one address lock that pair out for an hour.
AXES_FAILURE_LIMIT = env_int("OCOP_LOGIN_FAILURES", 5, minimum=1)
AXES_CLIENT_IP_CALLABLE = "ocop.core.middleware.client_ip"  # the real client behind the trusted proxies
AXES_USERNAME_CALLABLE = "ocop.accounts.auth.lockout_username"  # as typed, at most a username's length
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_HTTPONLY = True

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
_log_format = env_str("DJANGO_LOG_FORMAT", "plain")
if _log_format not in {"plain", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT={_log_format!r} is not one of plain, json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ocop.core.logging.JsonFormatter"},  # one JSON object a line, for log collectors
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": _log_format}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# OCOP rules that are configuration, not law (the law lives in ocop/*/rules and docs/domain.md).
OCOP_EXPIRY_WARNING_DAYS = env_int("OCOP_EXPIRY_WARNING_DAYS", 90, minimum=1)
# Public address printed in QR codes (e.g. https://ocop.example.vn); empty: the address of the request.
OCOP_SITE_URL = env_str("OCOP_SITE_URL", "").rstrip("/")
# Map tiles for the sale points map (e.g. a province's own tile server, or https://tile.openstreetmap.org/{z}/{x}/{y}.png
# where the Internet is reachable). Empty: no map, the list alone — nothing is fetched from outside by default.
OCOP_MAP_TILE_URL = env_str("OCOP_MAP_TILE_URL", "")
# Inquiries one address may send in 10 minutes and in a day (flood guard; raised for load tests only).
# A task still RUNNING after this long has lost its worker (killed, machine gone): it is marked FAILED.
# Days an invitation link works (once).
OCOP_INVITATION_DAYS = env_int("OCOP_INVITATION_DAYS", 7, minimum=1)
# Roles that must sign in with a second factor (an authenticator app's code). Production sets
# OCOP_OTP_REQUIRED_ROLES=central_officer,province_officer,site_admin; anyone else may turn it on.
OCOP_OTP_REQUIRED_ROLES = env_list("OCOP_OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = "OCOP Connect"
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait (1 s, 2 s, 4 s…) before another is tried
OTP_STATIC_THROTTLE_FACTOR = 1
# Sign-up and e-mail change links stay valid this many days.
OCOP_SIGNUP_LINK_DAYS = env_int("OCOP_SIGNUP_LINK_DAYS", 3, minimum=1)
# Photos: refused above these sizes (the pixel count is read from the header, before any decoding).
OCOP_PICTURE_MAX_PIXELS = env_int("OCOP_PICTURE_MAX_PIXELS", 50_000_000, minimum=1_000_000)
OCOP_PICTURE_MAX_BYTES = env_int("OCOP_PICTURE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024 * 1024)
OCOP_TASK_STALE_MINUTES = env_int("OCOP_TASK_STALE_MINUTES", 60, minimum=5)
# The memory one background task may take beyond what the worker holds when it starts it (0: no cap). The
# largest list accepted (200,000 rows) needs about 1 GB.
OCOP_TASK_MEMORY_MB = env_int("OCOP_TASK_MEMORY_MB", 2048, minimum=0)
OCOP_INQUIRY_LIMITS = (
    env_int("OCOP_INQUIRIES_PER_10_MINUTES", 5, minimum=1),
    env_int("OCOP_INQUIRIES_PER_DAY", 20, minimum=1),
)
# API throttles: requests per minute from one address (public reads) and per token.
OCOP_API_RATES = (
    f"{env_int('OCOP_API_PER_MINUTE', 120, minimum=1)}/m",
    f"{env_int('OCOP_API_TOKEN_PER_MINUTE', 600, minimum=1)}/m",
)
# A check or import still "running" this many minutes after it started has lost its worker (killed, machine
# restarted: the database rolled its writes back); it may then be started again. 100,000 rows take ~2 minutes.
OCOP_IMPORT_STALE_MINUTES = env_int("OCOP_IMPORT_STALE_MINUTES", 30, minimum=1)
# Stamp scans are kept in each server process and written to the database in one transaction at most this many
# milliseconds apart (ocop/stamps/scanlog.py); 0 writes each scan at once (the tests' default).
OCOP_SCAN_FLUSH_MS = env_int("OCOP_SCAN_FLUSH_MS", 0 if TESTING else 1000, minimum=0)
# Where the open data files are written (manage.py opendata_dump) and served from (/du-lieu-mo/).
OCOP_OPENDATA_DIR = Path(env_str("OCOP_OPENDATA_DIR", str(VAR_DIR / "opendata")))
