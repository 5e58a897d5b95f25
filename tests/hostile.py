"""Hostile values, shared by the tests that send them to every parameter (any input,
no 500) and the tests that write them into every editor-writable field and read
every page back (nothing hostile goes out). Downloads and feeds can use the same
strategies and `write_everywhere`.

Every markup payload carries MARKER, so that a page can be searched for the places
where a payload arrived, and `hostile_markup_in(html)` says where one arrived as
markup rather than as text."""

import html.parser
import itertools
import re

from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# For the property tests that send these: no deadline (pages on a loaded CI machine
# are slow, and speed is the benchmarks' business), and function-scoped fixtures (the
# database) shared by the examples of one test. A decorator, not a global profile,
# so that other modules' hypothesis tests keep their own settings.
property_test = settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKER = "zq7x"

INJECTIONS = (
    f"<script>{MARKER}()</script>",
    f'"><script>{MARKER}()</script>',
    f"'><img src=x onerror={MARKER}()>",
    f'" onmouseover="{MARKER}()" x="',
    f"' autofocus onfocus='{MARKER}()",
    f'<a href="javascript:{MARKER}()">{MARKER}</a>',
    f"[{MARKER}](javascript:{MARKER}())",
    f"[{MARKER}](  JaVaScRiPt:{MARKER}() )",
    f"![{MARKER}](x onerror={MARKER}())",
    f"<svg onload={MARKER}()>",
    f"<iframe src=//{MARKER}.example></iframe>",
    f"<style>body{{{MARKER}:1}}</style>",
    f'<base href="//{MARKER}.example/">',
    f'<meta http-equiv="refresh" content="0;url=//{MARKER}.example">',
    f'<form action="//{MARKER}.example"><input name=password></form>',
    f"</textarea></title></script><script>{MARKER}()</script>",
    f"<!--{MARKER}--><script>{MARKER}()</script>",
    f"{{{{ {MARKER} }}}}{{% debug %}}",
    f"'; DROP TABLE history_event; -- {MARKER}",
    f"\u202e{MARKER}\u202c",
    f"{MARKER}\x00<script>{MARKER}()</script>",
)

# Text an editor might paste: any script, direction marks, control characters.
# Surrogates cannot be stored or sent as UTF-8 and are left out.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
PASTED = "Kabul カブール کابل کابُل ٣٤ １２ \u200c\u200f\u202e\x00\t\n<>&\"'"
mixed_scripts = st.text(st.sampled_from(PASTED), max_size=40)


@st.composite
def hostile_markup(draw):
    """A payload alone or inside ordinary text, as an editor could type it."""
    payload = draw(st.sampled_from(INJECTIONS))
    before, after = draw(st.sampled_from(("", "Kabul ", "**bold** ", "# "))), draw(mixed_scripts)
    return before + payload + after


@st.composite
def hostile_rotation(draw):
    """Every payload, in a drawn order and wrapping, for write_everywhere to deal
    out one per field: a single page then carries all of them."""
    order = draw(st.permutations(INJECTIONS))
    wrap = draw(st.sampled_from(("", "Kabul ", "**bold** ", "# ")))
    return [wrap + payload + draw(mixed_scripts) for payload in order]


# Values for parameters: the above, and numbers and structures a parser may choke on.
NUMBERS = ("9" * 20, "-9" * 10, "1e309", "NaN", "-0", "0x1F", "٢٠٠٢", "２００２", "1" * 5000, "2002.5", " 2002 ")
hostile_value = st.one_of(
    hostile_markup(),
    any_text,
    mixed_scripts,
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.just("[" * 5000 + "]" * 5000),
    st.just("x" * 20000),
    st.sampled_from(("\x00", "%00", "%", "%ff%fe", "..%2f..%2fetc%2fpasswd", "*", "'", '"', "\\")),
)


def write_everywhere(record, values):
    """Write a value into every text field an editor can fill in on record (every
    language's column), keep it where the model's own validation accepts it as an
    editor would see it accepted, and save. values: one string, or an iterator that
    deals one per field. Returns the fields that kept theirs."""
    values = itertools.repeat(values) if isinstance(values, str) else values
    kept = []
    for field in record._meta.fields:
        if not field.editable or field.choices or not isinstance(field, (models.CharField, models.TextField)):
            continue
        if isinstance(field, models.SlugField):
            continue
        original = getattr(record, field.attname)
        value = next(values)
        # Forms refuse NUL (Django's ProhibitNullCharactersValidator): no editor stores one.
        candidate = value.replace("\x00", "")
        candidate = candidate[: field.max_length] if field.max_length else candidate
        setattr(record, field.attname, candidate)
        try:
            field.clean(candidate, record)
        except ValidationError:
            setattr(record, field.attname, original)
            continue
        kept.append(field.name)
    record.save()
    return kept


DANGEROUS_SCHEMES = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "srcset"}
# Elements a payload must never create, whatever their attributes.
FOREIGN_ELEMENTS = {"base", "iframe", "object", "embed", "frame", "frameset", "applet"}


class MarkupAudit(html.parser.HTMLParser):
    """Collects what a payload could only have produced if it had been written into
    the page as markup: event handlers, script URLs, script or style text carrying
    the marker, foreign elements, a refresh, a form posting elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.open_raw = None

    def handle_starttag(self, tag, attrs):
        where = f"<{tag} {attrs}>"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name} in {where}")
            compact = re.sub(r"[\s\x00-\x1f]", "", value)
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEMES.match(compact):
                self.problems.append(f"script URL in {where}")
            if MARKER in name:
                self.problems.append(f"attribute from a payload in {where}")
        if tag in FOREIGN_ELEMENTS or tag in ("svg", "math") and MARKER in str(attrs):
            self.problems.append(f"foreign element {where}")
        if tag == "meta" and any(name == "http-equiv" and (value or "").lower() == "refresh" for name, value in attrs):
            self.problems.append(f"refresh {where}")
        if tag == "form" and MARKER in str(dict(attrs).get("action", "")):
            self.problems.append(f"form posting elsewhere {where}")
        if tag in ("script", "style"):
            # JSON data (json_script, JSON-LD) escaped so that no "<" survives: a payload there is text.
            self.open_raw = "json" if str(dict(attrs).get("type", "")).endswith("json") else tag

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.open_raw = None

    def handle_data(self, data):
        if self.open_raw and MARKER in data and (self.open_raw != "json" or "<" in data):
            self.problems.append(f"payload inside <{self.open_raw}>: {data[:80]!r}")


def hostile_markup_in(page):
    audit = MarkupAudit()
    audit.feed(page)
    audit.close()
    return audit.problems
