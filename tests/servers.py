"""Real servers for the tests that need them: the site as `make run` serves it
(gunicorn with config/gunicorn.conf.py), a throwaway PostgreSQL cluster that a test
may stop and start, and a throwaway Redis. All listen on loopback only.

A missing PostgreSQL or Redis skips the test on a developer's machine and fails it
in CI (REQUIRE_POSTGRES=1, REQUIRE_REDIS=1, as .ci/run sets them)."""

import glob
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def require(what, found, variable):
    if found:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} is not installed")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process=None, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port} after {seconds}s")


def site_environment(tmp_path, database_url, cache_url="locmem://", **extra):
    """Production settings (config.settings, DEBUG off) on the given database."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "servers-" + secrets.token_urlsafe(40),
        "DJANGO_RUNTIME_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        **extra,
    }


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def prepare_site(env):
    """What `make run` does before it serves: the schema, the seed and static files."""
    manage(env, "migrate", "--noinput")
    manage(env, "import_fixtures")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


class AppServer:
    """The site served as `make run` serves it, on a port of its own."""

    def __init__(self, env, log_path, port=None):
        self.port = port or free_port()
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "PORT": str(self.port)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process)

    def get(self, path, headers=None, timeout=20):
        """(status, headers, body text) of one GET on a fresh connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """A PostgreSQL server of the test's own, so that it can be stopped and started
    without touching the suite's database. As root (CI) it runs as user postgres."""

    def __init__(self):
        self.bin = postgres_bin()
        # Not under pytest's tmp_path: user postgres could not enter root's folder.
        self.directory = Path(tempfile.mkdtemp(prefix="history-test-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.directory, "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()

    @property
    def data(self):
        return str(self.directory / "data")

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program, *args):
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}")

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", str(self.directory / "log"), "-w", "-o", options, "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def createdb(self, name):
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def clients(self, database):
        """The process ids of the connections to `database` open now, this one's aside."""
        import psycopg

        with psycopg.connect(self.url("postgres")) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
            ).fetchall()
        return {pid for (pid,) in rows}


class RedisServer:
    def __init__(self, directory):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def require_postgres():
    require("PostgreSQL (initdb)", postgres_bin() is not None, "REQUIRE_POSTGRES")


def require_redis():
    require("redis-server", shutil.which("redis-server") is not None, "REQUIRE_REDIS")
