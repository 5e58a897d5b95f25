"""Template tags of the reader's pages beyond dates and text: pledges traced to
programmes, citations ready to copy, search highlighting."""

import unicodedata

from django import template
from django.db.models import Sum
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from ..citing import record_citation
from ..highlight import highlight_terms
from ..locales import format_money
from ..models import AidProgram
from ..related import shown
from .history_tags import _untranslated

register = template.Library()


@register.simple_tag
def pledge_delivery(conference):
    """What the programmes the sources tie to a conference's pledge add up to, in
    the pledge's currency: the programmes the page lists (published ones only, at
    most RELATED_SHOWN, fetched with it) and the sums over all of them. Amounts in
    another currency are listed, never converted."""
    programmes = shown(conference.aidprograms.all())
    currency = conference.japan_pledge_currency
    if programmes.more:  # the sums of every programme, not only of those listed
        rows = AidProgram.objects.published().filter(pledge=conference).exclude(amount=None)
        amounts = list(rows.values("currency").annotate(amount=Sum("amount")).values_list("currency", "amount"))
    else:
        amounts = [(programme.currency, programme.amount) for programme in programmes if programme.amount is not None]
    same, others = [], {}
    for code, amount in amounts:
        if code == currency:
            same.append(amount)
        else:
            others[code] = others.get(code, 0) + amount
    return {
        "programmes": programmes,
        "total": format_money(sum(same), currency) if same else "",
        "others": [format_money(amount, code) for code, amount in sorted(others.items())],
    }


@register.simple_tag(takes_context=True)
def citation_of(context, record):
    """The record's citation in Chicago style, CSL-JSON and BibTeX (history.citing)."""
    return record_citation(context["request"], record)


@register.filter
def highlight(text, terms):
    """Text with the words a search matched marked <mark>, whatever their spelling."""
    return highlight_terms(text, terms)


def cut_to(text, length):
    """Django's truncatechars, which walks every character to count those that are
    no combining marks: a text already within `length` and in NFC, as most are, is
    what it would give, at no cost (a search page cuts eighty summaries)."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return truncatechars(text, length)


@register.simple_tag
def highlighted(record, field, terms, length=None):
    """A translated field with the search's words marked, cut to `length`
    characters; English shown in its place is marked lang="en", as {% translated %} does."""
    text = getattr(record, field, "") or ""
    html = highlight_terms(cut_to(text, length) if length else text, terms)
    if _untranslated(record, field):
        return format_html('<span lang="en" dir="ltr" class="fallback">{}</span>', html)
    return html
