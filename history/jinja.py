"""The Jinja2 environment of the site's few Jinja2 templates (templates/jinja2/):
what repeats a small piece of markup hundreds of times. Django's template
language took about 50 µs to draw one such piece; Jinja2 compiles a template to
Python and draws it in a few.

- The timeline's lines under their decades, put into the page (in Django's
  template language, as every page is) as markup already made
  (history.views.pages.timeline).
- The sitemap files: 500 addresses with five alternates each, the same bytes as
  Django's own sitemap template writes (config/urls.py). A file at 100,000 events
  went from about 113 to 74 ms.

Text is translated by Django's own gettext, so a message has one translation
whichever language of templates says it."""

from django.template.defaultfilters import date
from django.utils.translation import gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup

from .locales import localize_digits


def environment(**options):
    # A file ends as it is written (Django's templates keep the last line break).
    env = Environment(**{"keep_trailing_newline": True, **options}, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["local_digits"] = local_digits
    env.filters["date"] = date  # Django's, in the current time zone
    return env


def local_digits(text):
    """The template tag library's filter of the same name: for plain text runs."""
    digits = localize_digits(text)
    return Markup(digits) if isinstance(text, Markup) else digits
