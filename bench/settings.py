"""The site's production settings, served by the page benchmark (bench/pages.py),
with one addition: a bare Django view (bench/urls.py) through the same middleware,
the baseline every page is compared with. BENCH_CACHE_URL chooses the cache."""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1"]

if os.environ.get("BENCH_CACHE_URL", "").startswith("redis://"):
    # The backend production uses when it names a Redis server (config/settings.py).
    try:
        from config.settings import cache_from_url

        CACHES = {"default": cache_from_url(os.environ["BENCH_CACHE_URL"])}
    except ImportError:
        redis = "django.core.cache.backends.redis.RedisCache"
        CACHES = {"default": {"BACKEND": redis, "LOCATION": os.environ["BENCH_CACHE_URL"]}}
