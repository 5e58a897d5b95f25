"""Template tags of the reader's pages beyond dates and text: pledges traced to
programmes, citations ready to copy, search highlighting."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from ..citing import record_citation
from ..highlight import highlight_terms
from ..locales import format_money
from .history_tags import _untranslated

register = template.Library()


@register.simple_tag
def pledge_delivery(conference):
    """What the programmes the sources tie to a conference's pledge add up to, in
    the pledge's currency, from the programmes already fetched with it (published
    ones only). Amounts in another currency are listed, never converted."""
    programmes = list(conference.aidprograms.all())
    currency = conference.japan_pledge_currency
    same, others = [], {}
    for programme in programmes:
        if programme.amount is None:
            continue
        if programme.currency == currency:
            same.append(programme.amount)
        else:
            others[programme.currency] = others.get(programme.currency, 0) + programme.amount
    return {
        "programmes": programmes,
        "total": format_money(sum(same), currency) if same else "",
        "others": [format_money(amount, code) for code, amount in sorted(others.items())],
        "without_amount": sum(1 for programme in programmes if programme.amount is None),
    }


@register.simple_tag(takes_context=True)
def citation_of(context, record):
    """The record's citation in Chicago style, CSL-JSON and BibTeX (history.citing)."""
    return record_citation(context["request"], record)


@register.filter
def highlight(text, terms):
    """Text with the words a search matched marked <mark>, whatever their spelling."""
    return highlight_terms(text, terms)


@register.simple_tag
def highlighted(record, field, terms, length=None):
    """A translated field with the search's words marked, cut to `length`
    characters; English shown in its place is marked lang="en", as {% translated %} does."""
    text = getattr(record, field, "") or ""
    html = highlight_terms(truncatechars(text, length) if length else text, terms)
    if _untranslated(record, field):
        return format_html('<span lang="en" dir="ltr" class="fallback">{}</span>', html)
    return html
