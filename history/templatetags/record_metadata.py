"""Tags for what record pages tell machines (history.record_metadata), and the URL
check for templates (history.safety)."""

import json

from django import template
from django.utils.safestring import mark_safe

from ..record_metadata import page_metadata
from ..safety import outgoing_url as _outgoing_url

register = template.Library()
# As Django's json_script does: inside <script>, "<", ">" and "&" could end the
# element or start markup; their JSON escapes mean the same characters.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/record_metadata.html", takes_context=True)
def record_metadata(context, record):
    """citation_*, Dublin Core, Open Graph, JSON-LD and the canonical link of a record page."""
    metadata = page_metadata(context["request"], record)
    text = json.dumps(metadata["json_ld"], ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return {**metadata, "json_ld": mark_safe(text)}  # noqa: S308 - JSON with <, > and & escaped


@register.filter
def outgoing_url(url):
    """The address if it may be linked to (http or https, no credentials), else ""."""
    return _outgoing_url(url)
