"""Snapshot of what a project tree shows the public (not a test): every public page,
download, feed and sitemap, and both fixture exports, as files, so that two trees can
be compared byte for byte (bench/compare_snapshots.py).

    .venv/bin/python bench/snapshot.py TREE OUTDIR [--fixtures DIR] [--max-urls N]

TREE is a checkout of the project, run with its own code and its own .venv (this
interpreter if it has none): a fresh SQLite database in a temporary folder, migrate,
import_fixtures (TREE/fixtures unless --fixtures), compiled catalogues (written into
TREE/locale, as `make messages` does), collectstatic into the temporary folder, then
a crawl with django.test.Client in a child process that imports TREE's code only.

The crawl starts from /, each /<lang>/, /sitemap.xml, /robots.txt and each feed; adds
for every list each download format (all formats on all lists: an unsupported one
answers 400, and that answer is recorded too), page 2, a valid and an invalid filter
(each also as CSV and JSON), and a few searches per language; then follows, breadth first, every same-site <a href> and
<link rel="alternate" href> of HTML pages, the <loc> and hreflang links of the
sitemap, and redirects. /admin/, /static/ and /i18n/ are left out.

OUTDIR gets:
    index.tsv      one line per URL, sorted: url, status, content-type,
                   content-disposition, location, content-language, body sha256,
                   normalisations applied, body file
    pages/         one body per URL, named by the URL (see body_file_name)
    export-json/   export_fixtures --output ...
    export-csv/    export_fixtures --format csv --output ...

Values that come from the clock of the run are replaced before anything is saved, so
two snapshots of the same tree are identical; see NORMALISATION below. Nothing else is
touched: a difference that remains is a difference in what the site serves.
"""

import argparse
import datetime
import hashlib
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import deque
from pathlib import Path

LANGUAGES = ("en", "ja", "fa-af", "ps")
LISTS = ("events", "conferences", "aid", "sources", "timeline")
FORMATS = ("csv", "json", "csl-json", "bibtex", "iati", "timelinejs")
SEARCHES = ("kabul", "カブール", "کابل", "tokyo+2002", "")
FEEDS = ("feeds/events/",)
# One valid filter per list (the filter forms are GET forms, so no link leads there):
# the page and its CSV and JSON show that filters reach the downloads. An invalid one
# (year_from=abc) is asked of every list, page and download.
FILTERS = {
    "events": "type=treaty&year_from=1930&year_to=1960",
    "conferences": "year=2002",
    "aid": "sector=15250&status=4&year_from=1990",
    "sources": "kind=report&reliability=primary",
    "timeline": None,
}
INVALID_FILTER = "year_from=abc"
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/")
HOST = "testserver"
MAX_URLS = 5000
# Response headers kept besides the status: what a reader or a data user gets from them.
HEADERS = ("Content-Type", "Content-Disposition", "Location", "Content-Language")
INDEX_COLUMNS = ("url", "status", *(h.lower() for h in HEADERS), "sha256", "normalised", "file")
# Characters left as they are when a URL is made canonical: everything a browser would
# send unescaped, and % so that existing escapes stay as they are.
URL_SAFE = "/?&=%:;+,@!$'()*~[]-._"

# The wrapper settings: TREE's own settings with static files collected outside TREE.
SETTINGS_MODULE = "snapshot_settings"
SETTINGS_TEXT = """\
# Written by bench/snapshot.py: the tree's settings, static files collected elsewhere.
from config.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
"""


# --- Normalisation --------------------------------------------------------------------
#
# Only values the clock of the run produces, each in the one place it appears:
#
#   run-datetime   An ISO 8601 date-time that falls inside this run (from just before
#                  migrate to the moment of saving): records' created_at/updated_at
#                  (Atom <published>/<updated>, IATI last-updated-datetime) and the
#                  time of the request (IATI generated-datetime). Content dates are
#                  decades old and never inside the window. Date and time, with any
#                  fraction, become RUN-DATETIME; the zone is kept, so a change of
#                  format (Z for +00:00) still shows. (The fraction goes with it
#                  because isoformat() drops it when the microseconds happen to be 0.)
#   lastmod-date   <lastmod> of the sitemap, a date of this run (updated_at's day).
#   accessed-date  The date in the "Accessed <date>." sentence of the cite-this-page
#                  box, which is always today's date. The sentence is found through
#                  the tree's own catalogue (each language's translation of
#                  "Accessed %(date)s."), so the words around the date are still
#                  compared; the date must contain the run's year.
#   csrf-token     The value of a csrfmiddlewaretoken field (public pages have none
#                  today; a form added later would otherwise differ on every run).
#   run-date (headers only)  A date of this run in Content-Disposition (download file
#                  names such as events-2026-12-01.csv).
#
# Each body's index line says how many values each rule replaced, so a rule that stops
# matching in one tree shows up in the comparison instead of passing silently.

ISO_DATETIME = re.compile(
    rb"(?P<value>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?P<zone>Z|[+-]\d{2}:?\d{2})?(?![\d.])"
)
LASTMOD = re.compile(rb"<lastmod>(?P<value>\d{4}-\d{2}-\d{2})</lastmod>")
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="(?P<value>[^"]+)"')
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Digits as Dari, Pashto (Extended Arabic-Indic) and Arabic (Arabic-Indic) pages write them.
LOCAL_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


class RunClock:
    """The stretch of time this run covers, in UTC, with a second of slack either side
    (timestamps are cut to whole seconds in some outputs)."""

    def __init__(self, started):
        self.started = started - 1.0

    def covers(self, moment):
        return self.started <= moment.timestamp() <= time.time() + 1.0

    def dates(self):
        """The UTC days from the start of the run to now (two if it crosses midnight)."""
        first = datetime.datetime.fromtimestamp(self.started, datetime.UTC).date()
        last = datetime.datetime.now(datetime.UTC).date()
        return {(first + datetime.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)}


def parse_iso_datetime(text):
    moment = datetime.datetime.fromisoformat(text)
    # The site runs with TIME_ZONE = "UTC", so a value without a zone is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def accessed_patterns(languages):
    """One regex per language for the date in the cite box's "Accessed <date>." sentence,
    built from TREE's catalogue. The box reads “title.” site. URL. Accessed <date>.</p>,
    so the sentence is what follows the last ". " of the paragraph."""
    from django.utils import translation

    patterns = []
    for language in languages:
        with translation.override(language):
            sentence = translation.gettext("Accessed %(date)s.")
        before, _, after = sentence.partition("%(date)s")
        patterns.append(
            re.compile(
                rb'class="citation-text"[^>]*>[^<]*\. '
                + re.escape(before.encode())
                + rb"(?P<value>[^<]*?)"
                + re.escape(after.encode())
                + rb"</p>"
            )
        )
    return patterns


class Normaliser:
    def __init__(self, clock, accessed):
        self.clock = clock
        self.accessed = accessed

    def rules(self):
        """(name, regex, keep(match) -> bool, replacement of the value group)."""
        year = str(datetime.datetime.now(datetime.UTC).year)
        run_dates = self.clock.dates()
        in_run = lambda match: self.clock.covers(parse_iso_datetime(match["value"].decode()))  # noqa: E731
        yield "run-datetime", ISO_DATETIME, in_run, b"RUN-DATETIME"
        yield "lastmod-date", LASTMOD, lambda match: match["value"].decode() in run_dates, b"RUN-DATE"
        for pattern in self.accessed:
            has_year = lambda match: year in match["value"].decode().translate(LOCAL_DIGITS)  # noqa: E731
            yield "accessed-date", pattern, has_year, b"RUN-DATE"
        yield "csrf-token", CSRF_FIELD, lambda match: True, b"CSRF-TOKEN"

    def body(self, content):
        """The body with the run's own values replaced, and how many each rule replaced."""
        counts = {}
        for name, regex, keep, replacement in self.rules():
            content, replaced = replace_value(regex, content, keep, replacement)
            if replaced:
                counts[name] = counts.get(name, 0) + replaced
        return content, counts

    def header(self, value):
        run_dates = self.clock.dates()
        return ISO_DATE.sub(lambda m: "RUN-DATE" if m[0] in run_dates else m[0], value)


def replace_value(regex, content, keep, replacement):
    """Replace the group "value" of each match for which keep(match) holds; return the new
    content and the number of replacements."""
    replaced = 0

    def substitute(match):
        nonlocal replaced
        if not keep(match):
            return match[0]
        replaced += 1
        start, end = match.span("value")
        offset = match.start()
        return match[0][: start - offset] + replacement + match[0][end - offset :]

    return regex.sub(substitute, content), replaced


def format_counts(counts):
    return ",".join(f"{name}={count}" for name, count in sorted(counts.items()))


# --- URLs and links -------------------------------------------------------------------


def seed_urls():
    """Where the crawl starts, and the URLs no page links to (downloads in every format,
    page 2, an invalid filter, searches), in a fixed order."""
    urls = ["/", "/sitemap.xml", "/robots.txt"]
    for language in LANGUAGES:
        urls.append(f"/{language}/")
        urls.extend(f"/{language}/{feed}" for feed in FEEDS)
        for name in LISTS:
            page = f"/{language}/{name}/"
            urls.append(page)
            urls.extend(f"{page}?format={fmt}" for fmt in FORMATS)
            urls.append(f"{page}?page=2")
            for query in filter(None, (FILTERS[name], INVALID_FILTER)):
                urls.extend([f"{page}?{query}", f"{page}?{query}&format=csv", f"{page}?{query}&format=json"])
        urls.extend(f"/{language}/search/?q={query}" for query in SEARCHES)
    return list(dict.fromkeys(canonical(url) for url in urls))


def canonical(url):
    """The URL as a browser sends it: non-ASCII and spaces percent-encoded, existing
    escapes and everything else kept, so that the Client sees a proper query string."""
    return urllib.parse.quote(url, safe=URL_SAFE)


def same_site(href, base):
    """The path and query of href (resolved against base) if it is on this site and
    crawled, else None."""
    absolute = urllib.parse.urljoin(f"http://{HOST}{base}", href.strip())
    parts = urllib.parse.urlsplit(absolute)
    if parts.scheme != "http" or parts.netloc != HOST:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return canonical(parts.path + (f"?{parts.query}" if parts.query else ""))


class LinkParser(html.parser.HTMLParser):
    """Collects <a href> and <link rel="alternate" href> values, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        href = attributes.get("href")
        if not href:
            return
        if tag == "a" or (tag == "link" and "alternate" in (attributes.get("rel") or "").lower().split()):
            self.links.append(href)


SITEMAP_LINK = re.compile(r'<loc>([^<]+)</loc>|<xhtml:link[^>]*\bhref="([^"]+)"')


def links_in(content_type, body):
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        parser = LinkParser()
        parser.feed(text)
        parser.close()
        return parser.links
    if "xml" in content_type and "<urlset" in text:
        return [html.unescape(loc or href) for loc, href in SITEMAP_LINK.findall(text)]
    return []


def body_file_name(url):
    """A file name from the URL: every character but letters, digits and _.-~ escaped,
    and, when that is too long for a file system, a cut-off name plus a hash."""
    name = urllib.parse.quote(url, safe="")
    if len(name) > 180:
        name = name[:150] + "~" + hashlib.sha256(url.encode()).hexdigest()[:16]
    return name


# --- The crawl (child process, TREE's code) -------------------------------------------


def response_body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def crawl(outdir, started, max_urls):
    """Request every URL breadth first and save what each answers. Runs in the child
    process, with Django set up for TREE."""
    import logging

    import django

    django.setup()
    from django.test import Client

    # 404s and 400s are answers like any other here, and a 500's full traceback, once per
    # URL, would bury the summary: errors are counted by exception instead (errors_seen).
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    errors = errors_seen()

    # Client(raise_request_exception=False): a view that fails gives its 500 page,
    # which is recorded like any other answer.
    client = Client(raise_request_exception=False)
    normaliser = Normaliser(RunClock(started), accessed_patterns(LANGUAGES))
    pages = outdir / "pages"
    pages.mkdir(parents=True)
    queue = deque(seed_urls())
    seen = set(queue)
    rows = []
    while queue and len(rows) < max_urls:
        url = queue.popleft()
        # Every request is a first visit: no cookie (language, CSRF, session) from an
        # earlier answer changes what this one gets.
        client.cookies.clear()
        response = client.get(url)
        body = response_body(response)
        headers = {name: response.headers.get(name, "") for name in HEADERS}
        found = links_in(headers["Content-Type"], body)
        if headers["Location"]:
            found.append(headers["Location"])
        for href in found:
            link = same_site(href, url)
            if link is not None and link not in seen:
                seen.add(link)
                queue.append(link)
        rows.append(save(pages, url, response.status_code, headers, body, normaliser))
    rows.sort()
    with open(outdir / "index.tsv", "w", encoding="utf-8", newline="\n") as index:
        index.write("\t".join(INDEX_COLUMNS) + "\n")
        for row in rows:
            index.write("\t".join(row) + "\n")
    if queue:
        print(f"snapshot: stopped at {max_urls} URLs, {len(queue)} not crawled", file=sys.stderr)
    for (kind, message), urls in errors.items():
        print(f"snapshot: {len(urls)} x 500 {kind}: {message} (first at {urls[0]})", file=sys.stderr)
    return len(rows)


def errors_seen():
    """{(exception class, message): [URLs]} for every view that raised, filled as the
    crawl goes (Django's got_request_exception signal)."""
    from django.core.signals import got_request_exception

    errors = {}

    def record(sender, request, **kwargs):
        error = sys.exc_info()[1]
        errors.setdefault((type(error).__name__, str(error)[:200]), []).append(request.get_full_path())

    got_request_exception.connect(record, weak=False)
    return errors


def save(pages, url, status, headers, body, normaliser):
    body, counts = normaliser.body(body)
    name = body_file_name(url)
    (pages / name).write_bytes(body)
    values = [one_line(normaliser.header(headers[h]) if h == "Content-Disposition" else headers[h]) for h in HEADERS]
    return (url, str(status), *values, hashlib.sha256(body).hexdigest(), format_counts(counts), f"pages/{name}")


def one_line(value):
    # Header values never hold tabs or newlines, but an index line must not break.
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# --- The snapshot (parent process) ----------------------------------------------------


def tree_python(tree):
    """TREE's interpreter, so that its own pinned packages run its code."""
    python = tree / ".venv" / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def tree_environment(tree, scratch):
    """The environment for every command: this machine's, minus any project setting
    (DJANGO_*, DATABASE_URL, CACHE_*), plus a throwaway database and key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        DJANGO_SECRET_KEY="snapshot-only-not-secret",
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        # The wrapper settings first, then TREE; never the tree this script lives in.
        PYTHONPATH=os.pathsep.join([str(scratch), str(tree)]),
        # date.today() (the cite box) and timezone.localdate() (file names) agree.
        TZ="UTC",
    )
    return env


def run(command, tree, env, show_errors=False):
    """Run a command in TREE; on failure show its output and stop. show_errors passes
    its stderr through as it comes (the crawl's 500 tracebacks, its warnings)."""
    stderr = None if show_errors else subprocess.PIPE
    result = subprocess.run(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + (result.stderr or ""))
        raise SystemExit(f"snapshot: failed in {tree}: {' '.join(map(str, command))}")
    return result


def compile_catalogues(tree, env):
    pybabel = tree / ".venv" / "bin" / "pybabel"
    command = [str(pybabel)] if pybabel.exists() else [tree_python(tree), "-m", "babel.messages.frontend"]
    run([*command, "compile", "--domain", "django", "--directory", "locale"], tree, env)


def prepare_outdir(outdir):
    """OUTDIR empty, or a previous snapshot (which is replaced); anything else is refused."""
    if outdir.exists() and any(outdir.iterdir()):
        if not (outdir / "index.tsv").exists():
            raise SystemExit(f"snapshot: {outdir} is not empty and holds no snapshot; not overwriting it")
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)


def take_snapshot(tree, outdir, fixtures=None, max_urls=MAX_URLS):
    tree, outdir = Path(tree).resolve(), Path(outdir).resolve()
    fixtures = Path(fixtures).resolve() if fixtures else tree / "fixtures"
    prepare_outdir(outdir)
    python = tree_python(tree)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as scratch:
        scratch = Path(scratch)
        (scratch / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT.format(static_root=str(scratch / "static")))
        env = tree_environment(tree, scratch)
        started = time.time()
        compile_catalogues(tree, env)
        run([python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], tree, env)
        run([python, "manage.py", "import_fixtures", str(fixtures)], tree, env)
        run([python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], tree, env)
        # -P: the child's path starts with the wrapper settings and TREE, not bench/.
        child = [python, "-P", str(Path(__file__).resolve()), "--crawl", str(outdir), "--started", repr(started)]
        child += ["--max-urls", str(max_urls), str(tree)]
        crawled = run(child, tree, env, show_errors=True).stdout.split()[-1]
        for fmt in ("json", "csv"):
            target = str(outdir / f"export-{fmt}")
            export = [python, "manage.py", "export_fixtures", "--format", fmt, "--output", target]
            run(export, tree, env)
    return int(crawled)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="a checkout of the project")
    parser.add_argument("outdir", type=Path, nargs="?", help="where the snapshot goes (empty or a previous one)")
    parser.add_argument("--fixtures", type=Path, help="fixtures to import (default TREE/fixtures)")
    parser.add_argument("--max-urls", type=int, default=MAX_URLS)
    parser.add_argument("--crawl", type=Path, help=argparse.SUPPRESS)  # the child: crawl into this folder
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.crawl:
        check_imports_from(args.tree)
        print(crawl(args.crawl, args.started, args.max_urls))
        return
    if args.outdir is None:
        parser.error("OUTDIR is required")
    begin = time.monotonic()
    count = take_snapshot(args.tree, args.outdir, args.fixtures, args.max_urls)
    print(f"snapshot of {args.tree}: {count} URLs in {time.monotonic() - begin:.1f}s -> {args.outdir}")


def check_imports_from(tree):
    """The child must run TREE's code: fail loudly if `config` comes from elsewhere."""
    import config

    where = Path(config.__file__).resolve()
    if not where.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"snapshot: config imported from {where}, not from {tree}")


if __name__ == "__main__":
    main()
