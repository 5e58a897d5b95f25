"""Every public page is served under a strict Content-Security-Policy and loads
nothing from another host; the site's own templates need no inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .factories import EventFactory, cited

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["history:home", "history:event-list", "history:timeline", "history:search"])
def test_pages_carry_a_strict_content_security_policy(client, name):
    cited(EventFactory())
    with translation.override("en"):
        response = client.get(reverse(name), {"q": "event"})
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["'](https?:)?//(?!testserver)""", html)


def test_templates_have_no_inline_script_or_style():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        # A JSON-LD block is data, which browsers never run: it is no inline script.
        script = re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", text)
        if script or re.search(r"\sstyle=", text) or "<style" in text:
            offending.append(str(template.relative_to(TEMPLATES)))
    assert offending == []
