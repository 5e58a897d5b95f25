"""Editor-written Markdown to safe HTML. markdown-it-py's js-default preset escapes
raw HTML and refuses javascript: links; nh3 then keeps only the tags a history
text needs, so nothing an editor types can run in a reader's browser."""

import functools

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("js-default").enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "*": {"dir", "lang"}}


def render_markdown(text):
    """Return sanitised HTML, marked safe for templates, for Markdown `text`."""
    if not text:
        return mark_safe("")
    return mark_safe(sanitised_html(str(text)))  # noqa: S308 - cleaned by nh3 (sanitised_html)


@functools.lru_cache(maxsize=1024)
def sanitised_html(text):
    """The HTML of one text, made once while it is among the 1,024 last asked for:
    the same text gives the same HTML, and the page of disagreements renders twenty
    explanations (about 70 µs each)."""
    html = _markdown.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return clean
