"""How the site is served, by `make run` and in production (`gunicorn -c
config/gunicorn.conf.py`).

Gunicorn's own asyncio worker runs Django under ASGI: connections are read by an
event loop, so a client that sends its headers (or its body) slowly holds a socket,
not a worker, and every request runs in a thread of its own. With sync workers two
slow clients stopped the site. Nothing else is needed in front, though in
production a proxy (nginx) still terminates TLS and may buffer too (README).
"""

import gc
import os
from pathlib import Path

port = os.environ.get("PORT", "8000")
bind = [os.environ.get("BIND", f"127.0.0.1:{port}")]
wsgi_app = "config.asgi:application"
worker_class = "asgi"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A listening socket for each worker (SO_REUSEPORT), and the kernel shares new
# connections out between them. On one shared socket, the worker that woke first
# accepted every connection waiting (asyncio takes many at once) and served them
# all while the other stayed idle: at 8 keep-alive connections the timeline's rate
# fell to a third. The cost: a second server started on the same port by the same
# user joins this one instead of failing to start, and a connection still waiting
# in a worker's queue when that worker is replaced is reset.
reuse_port = True
# Connections one worker keeps open at once, slow ones included.
worker_connections = 1000
timeout = 30
graceful_timeout = 30
keepalive = 5
# Workers are not replaced after a number of requests. With a socket each (above),
# a replaced worker reset the connections queued at it, and two replaced at the same
# moment left no socket listening: new connections were refused (the page benchmark
# stopped on "Connection refused" twice, in runs at 300 to 700 requests a second).
# Nothing in a worker grows with the requests it serves: its memos have sizes
# (functools.lru_cache) and the local cache its MAX_ENTRIES.
max_requests = 0
accesslog = "-"

# X-Forwarded-Proto is believed only from the proxies named (config/settings.py
# reads the same variable); by default from none, not from every local client.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "")

# The control socket (gunicornc) of this instance: one per checkout and port, not
# the one in $HOME that every gunicorn of the same user would share.
runtime_dir = Path(os.environ.get("DJANGO_RUNTIME_DIR", Path(__file__).resolve().parent.parent / "var"))
runtime_dir.mkdir(parents=True, exist_ok=True)
control_socket = str(runtime_dir / f"gunicorn-{bind[0].rsplit(':', 1)[-1]}.ctl")


# Python's cycle collector, tuned for a worker that serves pages. Once the site is
# loaded, what it loaded (Django, the URL patterns, the compiled templates, some
# 100,000 objects) is frozen: the collector no longer walks it on every full
# collection (gc.freeze, as the Python documentation suggests for long-lived
# objects). The youngest generation is collected after 20,000 new objects instead
# of 700: a page makes thousands, nearly all freed as soon as it is sent, and a
# collection in the middle of a page walked them all and moved them on, to be
# walked again by the next generation's. Cycles left behind wait a little longer:
# at most 20,000 objects. Measured on a conference page in one process (SUMS and
# templates warm): 0.38 ms of collection a page against 0.16 ms, 7.6 against
# 7.1 ms a page on average.
YOUNG_GENERATION_THRESHOLD = 20_000


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
