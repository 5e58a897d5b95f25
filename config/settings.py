"""Settings for the Afghanistan–Japan relations site.

Everything that differs between a laptop and production is read from the
environment (see README). Defaults are safe: DEBUG is off unless asked for, and
without DEBUG the site refuses to start without a secret key.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# The key comes from the environment, or from the untracked file `make run`
# creates once (so that manage.py commands on the same machine need no prefix).
SECRET_KEY_FILE = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY, or run `make run` once to create .secret_key (or DJANGO_DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Files one running instance keeps for itself (pending import uploads, gunicorn's
# control socket): inside the checkout by default, never in a folder that every
# instance on the machine shares.
RUNTIME_DIR = Path(os.environ.get("DJANGO_RUNTIME_DIR", BASE_DIR / "var"))
IMPORT_UPLOAD_DIR = RUNTIME_DIR / "import-uploads"

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes patch in.
    "modeltranslation",
    # django.contrib.admin, with the site's tool pages (history/admin_site.py).
    "history.apps.HistoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "history",
]

MIDDLEWARE = [
    # First: a page from the cache, or a 304, is answered before anything else runs.
    "history.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so that its pages are in the reader's language.
    "history.middleware.DatabaseUnavailableMiddleware",
    "history.middleware.NulRefusalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "history.middleware.ExpensiveRequestLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
    {
        # A few hot parts of pages only (history.jinja); every page is Django's.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "history.jinja.environment"},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# The server runs Django under ASGI (config/gunicorn.conf.py), where every request
# has a thread of its own: a connection kept past the request would be left behind
# with its thread, so a connection is Django's for one request unless
# DATABASE_CONN_MAX_AGE says otherwise (for a WSGI server); on PostgreSQL it comes
# from, and goes back to, the process's pool (below). Health checks make a kept
# connection that died with a database restart be replaced before use instead of
# failing a request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer costs a reader a few seconds and a 503
    # page (history.middleware), not a worker held until the proxy gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # Connections of one server process are pooled (psycopg_pool, through Django):
    # without a pool every request opened its own, and PostgreSQL forks a process
    # for each (6 ms a request on the benchmark's machine). A pooled connection is
    # checked before use (the health checks above), so one left over from before a
    # database restart is replaced; with the database down a request waits for a
    # connection at most POOL_WAIT seconds, then gets the 503 page. The pool gives up
    # reconnecting after a second (its default: five minutes, in ever longer steps),
    # so that the first request after the database is back starts a new connection
    # at once instead of waiting for the next step (tests/test_faults.py).
    POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "8"))
    POOL_WAIT = 3
    if POOL_SIZE and not DATABASES["default"]["CONN_MAX_AGE"]:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": POOL_SIZE,
            "timeout": POOL_WAIT,
            "reconnect_timeout": 1,
        }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not DATABASES["default"]["CONN_MAX_AGE"]:
    # SQLite's connections are kept by the process between requests too: a new one
    # reads the schema again on its first statement (history/sqlite_backend).
    DATABASES["default"]["ENGINE"] = "history.sqlite_backend"
    DATABASES["default"]["KEPT_CONNECTIONS"] = int(os.environ.get("DATABASE_POOL_SIZE", "8"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The list indexes carry the key as a non-key column for PostgreSQL's index-only
# scans (history.models.base.list_indexes); SQLite ignores it, and needs none: its
# indexes always hold the rowid, which is the key.
SILENCED_SYSTEM_CHECKS = ["models.W040"]


def cache_from_url(url):
    """CACHE_URL: locmem:// (one process), redis://host:port/db (shared by every app
    server), memcached://host:port (shared too), file:///folder (shared by the
    processes of one machine), dummy:// (none). A Redis that stops answering is
    treated as an empty cache (IGNORE_EXCEPTIONS, with short timeouts): pages go on
    without it."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "memcached":
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": parts.netloc}
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": parts.path}
    if scheme in ("redis", "rediss", "unix"):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "history"),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "history"}
    raise ImproperlyConfigured(
        f"CACHE_URL: unknown scheme {scheme!r} "
        "(use locmem://, redis://host:port/db, memcached://host:port, file:///folder or dummy://)"
    )


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# A cache that fails is logged once per failure, not raised to the reader.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Failed logins (django-axes, counted in the database so every app server sees the
# same count): after AXES_FAILURE_LIMIT failures for one account, or from one
# address, logins are refused for the cool-off time with a page that says so. A
# success resets the count. Locking by account lets a stranger lock an editor out
# for a while; that is preferred to letting passwords be guessed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "history.middleware.login_refused"
AXES_CLIENT_IP_CALLABLE = "history.middleware.client_address"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the one list. Adding one means an entry here (and in
# LANGUAGES_BIDI if it is written right to left, and in EXTRA_LANG_INFO if Django
# does not know it), a catalogue in locale/, and `makemigrations` for its
# translated columns and review state.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ja", "日本語"),
    ("fa-af", "دری"),
    ("ps", "پښتو"),
]
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "fa-af", "ps", "ur", "ug"]
# Django has no Pashto and knows fa-af only as Persian: without these entries
# {% get_language_info_list %} raises KeyError and the switcher says "Persian".
EXTRA_LANG_INFO = {
    "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
}
LANG_INFO.update(EXTRA_LANG_INFO)
# Babel locale of a language where it is not Django's to_locale(code): the site
# writes British English ("21 January 2002").
BABEL_LOCALES = {"en": "en_GB"}
# The calendar shown beside Gregorian dates, per language (history.calendars).
LOCAL_CALENDARS = {"ja": "japanese-era", "fa-af": "solar-hijri", "ps": "solar-hijri"}
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# modeltranslation's admin tabs use jQuery UI, which it loads from a CDN unless
# this (its setting, despite the name) points at our vendored copy.
JQUERY_UI_URL = "history/vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Nothing is loaded from another host; inline scripts and styles are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The site uses no camera, microphone, location or payment; say so to the browser.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
# No script reads a cookie: the session, CSRF and language cookies are HttpOnly.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Addresses of the reverse proxies in front of the app servers (comma list). Only
# then is X-Forwarded-Proto believed (here, and by gunicorn for those peers only),
# and the client's address read from X-Forwarded-For for the login throttle.
# Without it a client could claim https or any address.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Production behind HTTPS: cookies only over HTTPS, http:// redirected, and browsers
# told to use HTTPS for a year (subdomains too). Preloading is a promise for the
# domain that is slow to undo, so it is the owner's choice (DJANGO_HSTS_PRELOAD=1),
# and Django's reminder about it is silenced until then.
HTTPS = os.environ.get("DJANGO_HTTPS") == "1"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_HSTS_PRELOAD") == "1"
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
# Under ASGI Django warns for every static file whitenoise sends (a file read in
# a thread, which is what it should be); the warning says nothing an operator can act on.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

# Editors type addresses with their scheme; a bare address is read as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

PAGE_SIZE = 20

# Anonymous readers' pages (history.page_cache): how long browsers and proxies may
# keep one without asking again, and how long the cache keeps one (a change readers
# may see replaces it at once whatever this says).
CACHE_MAX_AGE = int(os.environ.get("DJANGO_CACHE_MAX_AGE", "60"))
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", str(24 * 3600)))
# Sums over every record that pages show (list counts, the timeline drawing's
# counts a year), kept until the content changes even when pages are not.
SUMS_CACHE_SECONDS = int(os.environ.get("DJANGO_SUMS_CACHE_SECONDS", str(24 * 3600)))

# Anonymous requests that read a whole table (sitemaps, downloads, the feed) that one
# app server process works on at once; more get a 503 (history.middleware).
EXPENSIVE_REQUESTS_PER_PROCESS = int(os.environ.get("DJANGO_EXPENSIVE_REQUESTS", "2"))

# What the site calls itself, in the reader's language: page titles, the header, the
# cite box, the feed and the TimelineJS download read it here.
SITE_NAME = gettext_lazy("Afghanistan–Japan Relations")

# Where readers write to report an error; shown on every record page and the about
# page. Set it for a real deployment (the default only reaches this machine).
CORRECTIONS_EMAIL = os.environ.get("DJANGO_CORRECTIONS_EMAIL", "corrections@localhost")

# Data downloads (history/downloads): the most records one file holds; past that a
# list comes in parts (offset and limit parameters, Link headers).
DOWNLOAD_LIMIT = int(os.environ.get("DJANGO_DOWNLOAD_LIMIT", "5000"))
# The site in its IATI file: a secondary reporter, reproducing what others did. An
# IATI organisation identifier is {registration agency}-{number}; this site has
# none until its publisher registers it (or asks the IATI Technical Team for an
# XI-IATI one), so the default starts with XX, a code no registration agency uses,
# rather than with someone else's identifier. Set it for a real deployment.
IATI_REPORTING_ORG_REF = os.environ.get("DJANGO_IATI_REPORTING_ORG_REF", "XX-AFJP-HISTORY")
IATI_REPORTING_ORG_TYPE = os.environ.get("DJANGO_IATI_REPORTING_ORG_TYPE", "90")  # OrganisationType: other
# The licence the content is offered under, as the data page and datapackage.json
# state it (a Data Package licence: an SPDX name, a title and the licence's address).
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
