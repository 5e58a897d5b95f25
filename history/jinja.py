"""The Jinja2 environment of the site's few Jinja2 templates (templates/jinja2/):
the parts of a page that repeat a small piece of markup a hundred times, such as
the timeline's lines. Django's template language took about 50 µs to draw one
such line; Jinja2 compiles a template to Python and draws it in a few. The rest
of every page stays in Django's template language, which these parts are put into
as markup already made (history.views.pages.timeline).

Text is translated by Django's own gettext, so a message has one translation
whichever language of templates says it."""

from django.utils.translation import gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup

from .locales import localize_digits


def environment(**options):
    env = Environment(**options, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["local_digits"] = local_digits
    return env


def local_digits(text):
    """The template tag library's filter of the same name: for plain text runs."""
    digits = localize_digits(text)
    return Markup(digits) if isinstance(text, Markup) else digits
