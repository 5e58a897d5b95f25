"""How the site is served, by `make run` and in production (`gunicorn -c
config/gunicorn.conf.py`).

Gunicorn's own asyncio worker runs Django under ASGI: connections are read by an
event loop, so a client that sends its headers (or its body) slowly holds a socket,
not a worker, and every request runs in a thread of its own. With sync workers two
slow clients stopped the site. Nothing else is needed in front, though in
production a proxy (nginx) still terminates TLS and may buffer too (README).
"""

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
# Workers are replaced now and then, so that memory a request left behind is returned.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"

# X-Forwarded-Proto is believed only from the proxies named (config/settings.py
# reads the same variable); by default from none, not from every local client.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "")

# The control socket (gunicornc) of this instance: one per checkout and port, not
# the one in $HOME that every gunicorn of the same user would share.
runtime_dir = Path(os.environ.get("DJANGO_RUNTIME_DIR", Path(__file__).resolve().parent.parent / "var"))
runtime_dir.mkdir(parents=True, exist_ok=True)
control_socket = str(runtime_dir / f"gunicorn-{bind[0].rsplit(':', 1)[-1]}.ctl")
