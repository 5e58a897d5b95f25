"""The Jinja2 environment of the site's few Jinja2 templates (templates/jinja2/):
what repeats a small piece of markup hundreds of times. Django's template
language took about 50 µs to draw one such piece; Jinja2 compiles a template to
Python and draws it in a few.

- The timeline's lines under their decades, and the home page's lists, put into
  the page (in Django's template language, as every page is) as markup already
  made (drawn(); history.views.pages).
- The disagreements under a record's evidence and on the page of all of them,
  and the search page's lines, put into the page by the template tag
  {% drawn %}: a disagreement took about 0.27 ms, the page of them draws twenty;
  a search page lists up to eighty records, their words marked.
- The sitemap index and files (config/urls.py): a file lists 500 addresses with
  five alternates each, the index some 1,400 files at 100,000 events. The same
  bytes as Django's own sitemap templates write. At that size a file went from
  about 113 to 74 ms, the index from 94 to 22 (its latest changes kept too:
  history.sitemaps).

Text is translated by Django's own gettext, so a message has one translation
whichever language of templates says it. makemessages reads Django's templates and
Python, not Jinja2's: a message only a Jinja2 template says is named in
JINJA2_MESSAGES as well, so that it stays in the catalogues
(tests/test_catalogues.py checks that every one is extracted)."""

import functools

from django.template import defaultfilters, engines
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from jinja2 import Environment
from markupsafe import Markup

from .locales import localize_digits

# The messages of templates/jinja2/ that no Django template or Python says.
JINJA2_MESSAGES = (gettext_noop("The site follows this value."),)


def environment(**options):
    # A file ends as it is written (Django's templates keep the last line break).
    env = Environment(**{"keep_trailing_newline": True, **options}, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["local_digits"] = local_digits
    env.filters["date"] = date
    # What the Django templates' tags make, made the same way for Jinja2's. Imported
    # here: the tag libraries import this module.
    from .templatetags.history_tags import choice, dates, translated
    from .templatetags.reading import highlight, highlighted

    env.globals.update(translated=translated, dates=dates, choice=choice, highlight=highlight, highlighted=highlighted)
    return env


def drawn(template_name, context):
    """A template of templates/jinja2/ as markup, to put into a page."""
    template = engines["jinja2"].get_template(template_name)
    return mark_safe(template.render(context))  # noqa: S308 - Jinja2 escapes what it is given


def local_digits(text):
    """The template tag library's filter of the same name: for plain text runs."""
    digits = localize_digits(text)
    return Markup(digits) if isinstance(text, Markup) else digits


def date(value, format_string):
    """Django's date filter (in the current time zone and language), each value
    formatted once: the sitemap index gives the same date to every file of a kind,
    some 1,400 at 100,000 events, and formatting them was most of its time."""
    return _formatted_date(value, format_string, timezone.get_current_timezone_name(), get_language())


@functools.lru_cache(maxsize=1024)
def _formatted_date(value, format_string, _zone, _language):
    return defaultfilters.date(value, format_string)
