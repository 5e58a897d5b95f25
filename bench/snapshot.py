"""Snapshot of what a project tree shows the public (not a test): every public page,
download, feed and sitemap, the static files pages load, and both fixture exports, as
files, so that two trees can be compared byte for byte (bench/compare_snapshots.py).

    .venv/bin/python bench/snapshot.py TREE OUTDIR [--fixtures DIR] [--max-urls N]

TREE is a checkout of the project, run with its own code and its own .venv (this
interpreter if it has none): a fresh SQLite database in a temporary folder, migrate,
import_fixtures (TREE/fixtures unless --fixtures), compiled catalogues (written into
TREE/locale, as `make messages` does), collectstatic into the temporary folder, then
the crawl (bench/crawl.py: what is asked and followed) with django.test.Client in a
child process that imports TREE's code only, then both fixture exports.

OUTDIR gets:
    index.tsv      one line per URL, sorted: url, status, content-type,
                   content-disposition, location, content-language, body sha256,
                   normalisations applied, body file
    pages/         one body per URL, named by the URL (see crawl.body_file_name)
    export-json/   export_fixtures --output ...
    export-csv/    export_fixtures --format csv --output ...

Values that come from the clock of the run are replaced before anything is saved, so
two snapshots of the same tree are identical; see NORMALISATION below. Nothing else is
touched: a difference that remains is a difference in what the site serves.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANGUAGES = ("en", "ja", "fa-af", "ps")
HOST = "testserver"
CRAWL = Path(__file__).resolve().with_name("crawl.py")
MAX_URLS = 5000

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
#                  names such as event-2026-12-01.csv).
#
# and one that is no value of the run but a fingerprint of another file:
#
#   static-hash    The content hash in a static file's address (css/site.<12 hex>.css,
#                  from the manifest storage) becomes STATIC-HASH. The file itself is
#                  recorded under that address (bench/crawl.py), so a changed
#                  stylesheet shows once, as the stylesheet, not on every page.
#
# Each body's index line says how many values each rule replaced, so a rule that stops
# matching in one tree shows up in the comparison instead of passing silently.

ISO_DATETIME = re.compile(
    rb"(?P<value>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?P<zone>Z|[+-]\d{2}:?\d{2})?(?![\d.])"
)
LASTMOD = re.compile(rb"<lastmod>(?P<value>\d{4}-\d{2}-\d{2})</lastmod>")
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="(?P<value>[^"]+)"')
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATIC_HASH = re.compile(rb"/static/[^\"'\s?#<>()]*?\.(?P<value>[0-9a-f]{12})\.[A-Za-z0-9]+")
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
        yield "static-hash", STATIC_HASH, lambda match: True, b"STATIC-HASH"

    def body(self, content):
        """The body with the run's own values replaced, and how many each rule replaced."""
        counts = {}
        for name, regex, keep, replacement in self.rules():
            content, replaced = replace_value(regex, content, keep, replacement)
            if replaced:
                counts[name] = counts.get(name, 0) + replaced
        return content, counts

    def static_url(self, src):
        """The address of a static file a page loads, as the normalised page writes it."""
        return replace_value(STATIC_HASH, src.encode(), lambda match: True, b"STATIC-HASH")[0].decode()

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
        child = [python, "-P", str(CRAWL), str(outdir), str(tree), "--started", repr(started)]
        child += ["--max-urls", str(max_urls)]
        crawled = run(child, tree, env, show_errors=True).stdout.split()[-1]
        for fmt in ("json", "csv"):
            target = str(outdir / f"export-{fmt}")
            export = [python, "manage.py", "export_fixtures", "--format", fmt, "--output", target]
            run(export, tree, env)
    return int(crawled)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path, help="a checkout of the project")
    parser.add_argument("outdir", type=Path, help="where the snapshot goes (empty or a previous one)")
    parser.add_argument("--fixtures", type=Path, help="fixtures to import (default TREE/fixtures)")
    parser.add_argument("--max-urls", type=int, default=MAX_URLS)
    args = parser.parse_args(argv)
    begin = time.monotonic()
    count = take_snapshot(args.tree, args.outdir, args.fixtures, args.max_urls)
    print(f"snapshot of {args.tree}: {count} URLs in {time.monotonic() - begin:.1f}s -> {args.outdir}")


if __name__ == "__main__":
    main()
