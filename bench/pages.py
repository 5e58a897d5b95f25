"""Page benchmark (not a test): every page type served by gunicorn as in production
(2 workers, production settings) on loopback, driven by wrk, against a bare Django
view from the same server in the same run.

    .venv/bin/python bench/pages.py [--scale 1] [--seconds 2] [--engines sqlite,postgresql]

For each database engine (SQLite; PostgreSQL when its server binaries are here: a
throwaway cluster is started), at seed size (fixtures/) and at large size (the seed
plus bench/generate.py: 100,000 events, 2,000 conferences, 20,000 programmes,
50,000 sources, 300,000 citations at --scale 1), and uncached (no page cache) and
cached (the page cache on Redis when redis-server is here, else local memory), it
prints per page type: requests per second, p50 and p99 latency, the response's
size, and the ratio to the bare view (measured before the first page, halfway and
after the last; the ratios are to the median). Then checks: the largest page, the
timeline's size, static files' caching, and the PostgreSQL plans of the main list
queries.

wrk comes from Debian: apt-get install wrk."""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import ROOT, VENV_BIN, PostgreSQL, Redis, Site  # noqa: E402

PYTHON = str(VENV_BIN / "python")
# Requests the site limits to a few at once per process (history.middleware, when
# present): driven with 2 connections, not 8, so that they are measured, not refused.
FEW_CONNECTIONS = {"events CSV", "feed", "sitemap index", "sitemap file"}
# From the page cache, which answers before the limit is reached (the cache comes
# first among the middleware), only the download is limited: it streams and is not
# kept. The others are driven as the bare view is, with 8.
FEW_CONNECTIONS_CACHED = {"events CSV"}


def manage(database_url, *command, settings="config.settings_test"):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings}
    env.setdefault("DJANGO_SECRET_KEY", "page-benchmark-only")
    result = subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def generate(database_url, argument):
    """bench/generate.py with SCALE or --settle."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "generate.py"), str(argument)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"generate.py failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


DESCRIBE = r"""
import json, django
django.setup()
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from history.models import Event, Source
from history.search import search_filter
translation.activate("en")
events = Event.objects.published().order_by("start_date", "slug")
total = events.count()
deep = events.values_list("slug", flat=True)[total * 4 // 5]
event = Event.objects.published().filter(disagreements__isnull=False).order_by("slug").first()
source = Source.objects.published().annotate(n=Count("citations")).order_by("-n", "slug").first()
from history.models import AidProgram, Conference
conference = Conference.objects.published().annotate(n=Count("citations")).order_by("-n", "slug").first()
programme = AidProgram.objects.published().order_by("slug").first()
urls = {
    "home": reverse("history:home"),
    "timeline": reverse("history:timeline"),
    "events list": reverse("history:event-list"),
    "events, deep page": reverse("history:event-list") + "?after=" + deep,
    "events, ?page=N": reverse("history:event-list") + "?page=%d" % max(1, total * 4 // 5 // 20),
    "conferences list": reverse("history:conference-list"),
    "aid programmes list": reverse("history:aidprogram-list"),
    "sources list": reverse("history:source-list"),
    "disagreements": reverse("history:disagreements"),
    "event": event.get_absolute_url(),
    "conference": conference.get_absolute_url(),
    "aid programme": programme.get_absolute_url(),
    "source": source.get_absolute_url(),
    "search kabul": reverse("history:search") + "?q=kabul",
    "feed": reverse("history:event-feed"),
    "sitemap index": "/sitemap.xml",
    "sitemap file": "/sitemap-event.xml",
    "events CSV": reverse("history:event-list") + "?format=csv",
}
plans = {}
if connection.vendor == "postgresql":
    queries = {
        "events list": events[:21],
        "events by type": events.filter(event_type="visit")[:21],
        "events after a record": events.filter(start_date__gt="1990-01-01")[:21],
        "search kabul": Event.objects.published().filter(search_filter("kabul"))[:50],
    }
    with connection.cursor() as cursor:
        for name, queryset in queries.items():
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plans[name] = [row[0] for row in cursor.fetchall()]
print(json.dumps({"urls": urls, "events": total, "source_citations": source.n, "plans": plans}))
"""


def describe(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run([PYTHON, "-c", DESCRIBE], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"describing the database failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url, seconds, connections=8, headers=()):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: identity"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    latency = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", output, re.M)}
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)$", output, re.M)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    done = re.search(r"(\d+) requests in", output)
    if failed and done and int(done.group(1)):
        # wrk's rate counts every answer, a quick 503 too: count the good ones only.
        rps *= 1 - int(failed.group(1)) / int(done.group(1))
    return {
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "failed": int(failed.group(1)) if failed else 0,
        "socket_errors": errors.group(1) if errors else "",
        "connections": connections,
    }


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def settled_fetch(url, seconds=60):
    """fetch(url) once the server has finished what the last wrk run left queued: an
    expensive page answers 503 while the requests before it still hold its slots."""
    deadline = time.monotonic() + seconds
    while True:
        status, headers, body = fetch(url)
        if status != 503 or time.monotonic() > deadline:
            return status, headers, body
        time.sleep(0.5)


# Requests before each measured run, each on a connection of its own. The kernel
# hands a new connection to either worker (SO_REUSEPORT), so 8 reach both but for
# about one run in 130. What a worker keeps for itself (the uncached runs keep
# counts and drawings in each worker's local memory) is then worked out before the
# run rather than inside it: at 100,000 events the timeline's first request takes
# about 1.8 s, most of a 2 s run for the worker that makes it.
WARMING_REQUESTS = 8


def warm(url):
    for _ in range(WARMING_REQUESTS):
        fetch(url)


BARE = "/bench/bare/"


def measure(site, urls, seconds, cached=False):
    """Every page type against this running server, and the bare view before the
    first, halfway and after the last: the ratios are to the median of the three.
    Measured once, before the pages, a window of 2 s that the machine happened to
    be slow in (or quick in) moved every ratio of the run with it: the same code
    read a bare view of 456 and of 762 requests a second in two runs."""
    few = FEW_CONNECTIONS_CACHED if cached else FEW_CONNECTIONS
    warm(site.base + BARE)
    bare_runs = [wrk(site.base + BARE, seconds)]
    rows = {"bare view": None}
    for index, (name, path) in enumerate(urls.items()):
        if index == len(urls) // 2:
            bare_runs.append(wrk(site.base + BARE, seconds))
        status, headers, body = settled_fetch(site.base + path)  # also fills the cache when there is one
        warm(site.base + path)
        row = wrk(site.base + path, seconds, 2 if name in few else 8)
        row.update(bytes=len(body), status=status)
        rows[name] = row
        if name == "event" and headers.get("ETag"):
            revalidated = wrk(site.base + path, seconds, headers=[f"If-None-Match: {headers['ETag']}"])
            revalidated.update(bytes=0, status=fetch(site.base + path, {"If-None-Match": headers["ETag"]})[0])
            rows["event, 304 revalidation"] = revalidated
    bare_runs.append(wrk(site.base + BARE, seconds))
    bare_runs.sort(key=lambda run: run["rps"])
    rows["bare view"] = {**bare_runs[1], "runs": [run["rps"] for run in bare_runs]}
    rows["bare view"]["bytes"] = len(fetch(site.base + BARE)[2])
    bare = rows["bare view"]["rps"]
    for row in rows.values():
        row["ratio"] = row["rps"] / bare if bare else 0
    return rows


def static_check(site, urls):
    """Static files: hashed names, compressed, cached for ever."""
    html = fetch(site.base + urls["home"])[2].decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    status, headers, _body = fetch(site.base + stylesheet, {"Accept-Encoding": "gzip, br"})
    return {"file": stylesheet, "status": status, **{k: headers.get(k) for k in ("Cache-Control", "Content-Encoding")}}


def machine():
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        model = found.group(1) if found else ""
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load()}"


def load():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def milliseconds(value):
    return f"{value:.1f}" if value is not None else "–"


def print_table(results):
    print()
    print("| engine | size | cache | page | req/s | p50 ms | p99 ms | bytes | × bare | load |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for run in results:
        for name, row in run["rows"].items():
            note = f" (c={row['connections']})" if row["connections"] != 8 else ""
            if row.get("failed"):
                note += f" {row['failed']} failed"
            print(
                f"| {run['engine']} | {run['size']} | {run['cache']} | {name}{note} | {row['rps']:.0f} | "
                f"{milliseconds(row['p50'])} | {milliseconds(row['p99'])} | {row['bytes']:,} | {row['ratio']:.3f} | "
                f"{run['load']} |"
            )


def print_summary(results):
    """Per engine, one line a page type: uncached at seed and at large size (req/s and
    the ratio to the bare view), what the large size costs against the seed (the
    seed's req/s over the large set's), p50/p99 at large size, the ratio to the bare
    view from the cache, and the large page's size."""
    runs = {(run["engine"], run["size"], run["cache"].split(" ")[0]): run["rows"] for run in results}
    for engine in dict.fromkeys(run["engine"] for run in results):
        seed, large = runs.get((engine, "seed", "uncached")), runs.get((engine, "large", "uncached"))
        seed_cached, large_cached = runs.get((engine, "seed", "cached")), runs.get((engine, "large", "cached"))
        if not (seed and large and seed_cached and large_cached):
            continue
        print()
        print(f"{engine}:")
        print("| page | seed req/s (× bare) | large req/s (× bare) | large cost ÷ seed | large p50 / p99 ms "
              "| cached, seed × bare | cached, large × bare | bytes (large) |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, row in large.items():
            if name == "bare view" or name not in seed:
                continue
            cost = seed[name]["rps"] / row["rps"] if row["rps"] else float("inf")
            print(
                f"| {name} | {seed[name]['rps']:.0f} ({seed[name]['ratio']:.3f}) "
                f"| {row['rps']:.0f} ({row['ratio']:.3f}) "
                f"| {cost:.1f} | {milliseconds(row['p50'])} / {milliseconds(row['p99'])} "
                f"| {seed_cached[name]['ratio']:.2f} | {large_cached[name]['ratio']:.2f} | {row['bytes']:,} |"
            )
        print(f"| bare view, median of 3 | {bare_rate(seed)} | {bare_rate(large)} | | | | | |")


def bare_rate(rows):
    """The bare view's median rate, and its three runs' lowest and highest."""
    bare = rows["bare view"]
    runs = bare.get("runs") or [bare["rps"]]
    return f"{bare['rps']:.0f} ({min(runs):.0f}–{max(runs):.0f})"


def databases(engine, scale, work, postgres):
    """(size, database URL) for the seed, then the large set. The seed is settled as
    the large set is (bench/generate.py), and measured before the large set is
    generated: what the database does after a bulk load does not fall in its runs."""
    if engine == "sqlite":
        seed = f"sqlite:///{work / 'seed.sqlite3'}"
        manage(seed, "migrate", "--noinput")
        manage(seed, "import_fixtures")
    else:
        seed = postgres.create("bench_seed")
        manage(seed, "migrate", "--noinput")
        manage(seed, "import_fixtures")
    generate(seed, "--settle")
    yield "seed", seed
    if engine == "sqlite":
        shutil.copy(work / "seed.sqlite3", work / "large.sqlite3")
        large = f"sqlite:///{work / 'large.sqlite3'}"
    else:
        large = postgres.create("bench_large", template="bench_seed")
    started = time.perf_counter()
    counts = generate(large, scale)["counts"]
    seconds = time.perf_counter() - started
    print(f"  {engine}: large set generated in {seconds:.0f} s: {counts}", flush=True)
    yield "large", large


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the large set (1: 100,000 events)")
    # 2 s a page type keeps `make bench` under 15 minutes with every page type in it.
    parser.add_argument("--seconds", type=int, default=2, help="wrk run per page type (default 2)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (Debian's package), then run again.")
    print(f"Page benchmark on {machine()}", flush=True)
    # The manifest of hashed names production settings read (as `make run` does).
    manage("sqlite:///:memory:", "collectstatic", "--noinput", "--verbosity", "0", settings="config.settings")

    postgres, redis = PostgreSQL(), Redis()
    engines = [engine for engine in arguments.engines.split(",") if engine]
    if "postgresql" in engines and not postgres.available:
        print("  PostgreSQL server binaries not found: PostgreSQL skipped (apt-get install postgresql)")
        engines.remove("postgresql")
    cache_name = "Redis" if redis.available else "local memory"
    results, checks = [], {}
    work = Path(tempfile.mkdtemp(prefix="history-bench-pages-"))
    try:
        if redis.available:
            redis.start()
        for engine in engines:
            if engine == "postgresql":
                postgres.start()
            for size, database_url in databases(engine, arguments.scale, work, postgres):
                described = describe(database_url)
                checks[f"{engine} {size}"] = {k: described[k] for k in ("events", "source_citations", "plans")}
                for cache in ("uncached", "cached"):
                    env = {"DATABASE_URL": database_url, "DJANGO_PAGE_CACHE_SECONDS": "0"}
                    if cache == "cached":
                        if redis.process:
                            redis.flush()
                        env.update(
                            DJANGO_PAGE_CACHE_SECONDS="86400", BENCH_CACHE_URL=redis.url if redis.process else ""
                        )
                    with Site(env) as site:
                        before = load()
                        rows = measure(site, described["urls"], arguments.seconds, cached=cache == "cached")
                        if size == "large" and cache == "uncached":
                            checks[f"{engine} static"] = static_check(site, described["urls"])
                    label = cache if cache == "uncached" else f"cached ({cache_name})"
                    results.append(
                        {
                            "engine": engine,
                            "size": size,
                            "cache": label,
                            "rows": rows,
                            "load": before,
                            "server": site.server,
                        }
                    )
                    print(f"  {engine} {size} {label}: done (load {before})", flush=True)
            if engine == "postgresql":
                postgres.stop()
    finally:
        postgres.stop()
        redis.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    print_summary(results)
    print()
    print("Checks:")
    print(json.dumps(checks, indent=2, ensure_ascii=False))
    if arguments.json:
        arguments.json.write_text(json.dumps({"machine": machine(), "results": results, "checks": checks}, indent=2))


if __name__ == "__main__":
    main()
