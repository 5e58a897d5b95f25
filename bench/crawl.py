"""The crawl of a tree's public pages, for bench/snapshot.py (not a test). It runs in
a child process that imports TREE's code only, with Django set up on the snapshot's
fresh database:

    python -P bench/crawl.py OUTDIR --started T [--max-urls N] TREE

It starts from /, each /<lang>/, /sitemap.xml, /robots.txt and each feed; adds for
every list each download format (all formats on all lists: an unsupported one answers
400, and that answer is recorded too), page 2, a valid and an invalid filter (each also
as CSV and JSON), and a few searches per language; then follows, breadth first, every
same-site <a href> and <link rel="alternate" href> of HTML pages, the <loc> and
hreflang links of the sitemap, and redirects. /admin/, /static/ and /i18n/ are not
crawled; the static files that pages load (stylesheets, icons, scripts, images) are
recorded from the collected files under their URL without the content hash (see
"static-hash" in bench/snapshot.py), so a changed stylesheet shows once, as itself.

Each answer goes to OUTDIR/pages/ and one line of OUTDIR/index.tsv, with the run's own
dates and times replaced (bench/snapshot.py, NORMALISATION).
"""

import hashlib
import html.parser
import mimetypes
import re
import sys
import urllib.parse
from collections import deque
from pathlib import Path

# bench/ last on the path, after TREE and its packages: only the snapshot's own rules
# come from here, never a module TREE could mean.
sys.path.append(str(Path(__file__).resolve().parent))
from snapshot import HOST, LANGUAGES, MAX_URLS, Normaliser, RunClock, accessed_patterns, format_counts  # noqa: E402

LISTS = ("events", "conferences", "aid", "sources", "timeline")
FORMATS = ("csv", "json", "csl-json", "bibtex", "iati", "timelinejs")
SEARCHES = ("kabul", "カブール", "کابل", "tokyo+2002", "")
FEEDS = ("feeds/events/",)
# One valid filter per list (the filter forms are GET forms, so no link leads there):
# the page and its CSV and JSON show that filters reach the downloads. Where a filter
# was renamed, each spelling is listed and the first whose every parameter is a field
# of the tree's own filter form is asked, so both trees are asked the same question.
# An invalid one (year_from=abc) is asked of every list, page and download.
FILTERS = {
    "events": ("type=treaty&year_from=1930&year_to=1960",),
    "conferences": ("year=2002",),
    "aid": ("sector=15250&status=4&year_from=1990",),
    "sources": ("type=report&reliability=primary", "kind=report&reliability=primary"),
    "timeline": (),
}
INVALID_FILTER = "year_from=abc"
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/")
# Response headers kept besides the status: what a reader or a data user gets from them.
HEADERS = ("Content-Type", "Content-Disposition", "Location", "Content-Language")
INDEX_COLUMNS = ("url", "status", *(h.lower() for h in HEADERS), "sha256", "normalised", "file")
# Characters left as they are when a URL is made canonical: everything a browser would
# send unescaped, and % so that existing escapes stay as they are.
URL_SAFE = "/?&=%:;+,@!$'()*~[]-._"


# --- URLs and links -------------------------------------------------------------------


def seed_urls(filters):
    """Where the crawl starts, and the URLs no page links to (downloads in every format,
    page 2, a filter from filters (list -> query or None), an invalid filter,
    searches), in a fixed order."""
    urls = ["/", "/sitemap.xml", "/robots.txt"]
    for language in LANGUAGES:
        urls.append(f"/{language}/")
        urls.extend(f"/{language}/{feed}" for feed in FEEDS)
        for name in LISTS:
            page = f"/{language}/{name}/"
            urls.append(page)
            urls.extend(f"{page}?format={fmt}" for fmt in FORMATS)
            urls.append(f"{page}?page=2")
            for query in filter(None, (filters[name], INVALID_FILTER)):
                urls.extend([f"{page}?{query}", f"{page}?{query}&format=csv", f"{page}?{query}&format=json"])
        urls.extend(f"/{language}/search/?q={query}" for query in SEARCHES)
    return list(dict.fromkeys(canonical(url) for url in urls))


def chosen_filters(client):
    """list -> the first spelling of its filter that the tree's list page has fields for."""
    chosen = {}
    for name, spellings in FILTERS.items():
        if len(spellings) < 2:
            chosen[name] = spellings[0] if spellings else None
            continue
        parser = PageParser()
        parser.feed(client.get(f"/{LANGUAGES[0]}/{name}/").content.decode())
        fits = [query for query in spellings if set(urllib.parse.parse_qs(query)) <= parser.fields]
        if spellings and not fits:
            print(f"snapshot: no filter of {spellings} fits the {name} list's form; asking the first", file=sys.stderr)
        chosen[name] = (fits or spellings)[0]
    return chosen


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


class PageParser(html.parser.HTMLParser):
    """Collects, in document order, <a href> and <link rel="alternate" href> values
    (links), the URLs of what the page loads (assets), and the names of form fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.assets, self.fields = [], [], set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower().split()
        href = attributes.get("href")
        if href and (tag == "a" or (tag == "link" and "alternate" in rel)):
            self.links.append(href)
        elif href and tag == "link":
            self.assets.append(href)
        elif tag in ("script", "img") and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag in ("input", "select", "textarea") and attributes.get("name"):
            self.fields.add(attributes["name"])


SITEMAP_LINK = re.compile(r'<loc>([^<]+)</loc>|<xhtml:link[^>]*\bhref="([^"]+)"')


def links_in(content_type, body):
    """(links to follow, static files loaded) of a body."""
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        parser = PageParser()
        parser.feed(text)
        parser.close()
        return parser.links, parser.assets
    if "xml" in content_type and "<urlset" in text:
        return [html.unescape(loc or href) for loc, href in SITEMAP_LINK.findall(text)], []
    return [], []


def body_file_name(url):
    """A file name from the URL: every character but letters, digits and _.-~ escaped,
    and, when that is too long for a file system, a cut-off name plus a hash."""
    name = urllib.parse.quote(url, safe="")
    if len(name) > 180:
        name = name[:150] + "~" + hashlib.sha256(url.encode()).hexdigest()[:16]
    return name


# --- The crawl ------------------------------------------------------------------------


def response_body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def crawl(outdir, started, max_urls):
    """Request every URL breadth first and save what each answers."""
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
    queue = deque(seed_urls(chosen_filters(client)))
    seen, assets = set(queue), {}
    rows = []
    while queue and len(rows) < max_urls:
        url = queue.popleft()
        # Every request is a first visit: no cookie (language, CSRF, session) from an
        # earlier answer changes what this one gets.
        client.cookies.clear()
        response = client.get(url)
        body = response_body(response)
        headers = {name: response.headers.get(name, "") for name in HEADERS}
        found, loaded = links_in(headers["Content-Type"], body)
        if headers["Location"]:
            found.append(headers["Location"])
        for href in found:
            link = same_site(href, url)
            if link is not None and link not in seen:
                seen.add(link)
                queue.append(link)
        assets.update((normaliser.static_url(src), src) for src in loaded if src.startswith("/static/"))
        rows.append(save(pages, url, response.status_code, headers, body, normaliser))
    rows.extend(save_static(pages, url, src, normaliser) for url, src in sorted(assets.items()))
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


def save_static(pages, url, src, normaliser):
    """A static file a page loads, read from the collected files (the test client does
    not serve them), under url: its address with the content hash normalised."""
    from django.conf import settings

    path = Path(settings.STATIC_ROOT, urllib.parse.unquote(urllib.parse.urlsplit(src).path[len("/static/") :]))
    found = path.is_file() and path.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    content_type = (mimetypes.guess_type(path.name)[0] or "application/octet-stream") if found else ""
    headers = dict.fromkeys(HEADERS, "") | {"Content-Type": content_type}
    return save(pages, url, 200 if found else 404, headers, path.read_bytes() if found else b"", normaliser)


def one_line(value):
    # Header values never hold tabs or newlines, but an index line must not break.
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def check_imports_from(tree):
    """The child must run TREE's code: fail loudly if `config` comes from elsewhere."""
    import config

    where = Path(config.__file__).resolve()
    if not where.is_relative_to(Path(tree).resolve()):
        raise SystemExit(f"snapshot: config imported from {where}, not from {tree}")


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--started", type=float, required=True, help="time.time() just before migrate")
    parser.add_argument("--max-urls", type=int, default=MAX_URLS)
    args = parser.parse_args(argv)
    check_imports_from(args.tree)
    print(crawl(args.outdir, args.started, args.max_urls))


if __name__ == "__main__":
    main()
