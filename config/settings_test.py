"""Settings for the test suite: production settings with a throwaway key, a fast
password hasher and static files served from the source folders."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Most tests never commit, so the content version never moves and a kept page would
# outlive the test that made it: pages are kept only where a test asks for it
# (tests/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
SUMS_CACHE_SECONDS = 0
# The suite's own connections are not pooled: Django makes and drops test databases
# under them. The servers the suite starts (tests/servers.py) run the production
# settings, pooled.
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    del DATABASES["default"]["OPTIONS"]["pool"]  # noqa: F405
