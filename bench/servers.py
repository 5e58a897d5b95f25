"""Throwaway servers for the page benchmark, on this machine's loopback only: a
PostgreSQL cluster, a Redis server and the site under gunicorn. Each is stopped by
the benchmark when it is done, and its files removed."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(os.environ.get("BENCH_VENV_BIN", ROOT / ".venv" / "bin"))
PORTS = range(18100, 18200)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _as_postgres(command):
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class PostgreSQL:
    """A cluster in a temporary folder, fsync off (the data is thrown away)."""

    def __init__(self):
        initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bin = Path(initdb[-1]).parent if initdb else None
        self.folder = None

    @property
    def available(self):
        return self.bin is not None

    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix="history-bench-pg-"))
        if os.geteuid() == 0:
            if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            shutil.chown(self.folder, "postgres")
        self.port = free_port()
        data = self.folder / "data"
        subprocess.run(
            _as_postgres([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--locale=C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        log = str(self.folder / "log")
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(data), "-l", log, "-w", "-o", options, "start"]),
            check=True,
            capture_output=True,
        )
        return self

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create(self, database, template=None):
        copy = ["-T", template] if template else []
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *copy, database],
            check=True,
        )
        return self.url(database)

    def stop(self):
        if self.folder is None:
            return
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


class Redis:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.process = None

    @property
    def available(self):
        return self.binary is not None

    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix="history-bench-redis-"))
        self.port = free_port()
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return self

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def flush(self):
        """Empty it: the content version lives in the cache too, and the generated
        set's bulk writes do not move it, so a run after another read the pages
        the last one kept (the large set's cached run served the seed's timeline)."""
        import redis

        redis.Redis.from_url(self.url).flushall()

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            shutil.rmtree(self.folder, ignore_errors=True)
            self.process = None


class Site:
    """The site under gunicorn as production runs it (config/gunicorn.conf.py when the
    project has one, else two sync workers), with bench.settings."""

    def __init__(self, env):
        self.port = free_port()
        self.env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
        self.env.update(PORT=str(self.port), BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY="2")
        self.env.setdefault("DJANGO_SECRET_KEY", "page-benchmark-only")
        config = ROOT / "config" / "gunicorn.conf.py"
        if config.exists():
            self.command = [str(VENV_BIN / "gunicorn"), "--config", str(config)]
            self.server = "gunicorn, config/gunicorn.conf.py, 2 workers"
        else:
            self.command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                            "--workers", "2"]  # fmt: skip
            self.server = "gunicorn, 2 sync workers"
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        # The server's log goes to a file: a pipe nobody reads fills up, and the
        # server then blocks on its next log line (a benchmark run hung so).
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log, text=True
        )
        try:
            wait_for(self.base + "/bench/bare/")
        except RuntimeError:
            self.process.kill()
            self.log.seek(0)
            raise RuntimeError("the site did not start:\n" + self.log.read()[-3000:]) from None
        return self

    def log_tail(self, characters=3000):
        """The end of the server's log, to say why it stopped answering."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-characters:]

    def __exit__(self, *exc):
        if exc[0] is not None and self.process.poll() is not None:
            stopped = f"exit {self.process.returncode}"
            print(f"  the server stopped ({stopped}); its log ends:\n{self.log_tail()}", flush=True)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
