"""Accessibility in a real browser: axe-core checks the main pages, with the seed
content, in a left-to-right and a right-to-left language. Serious and critical
problems fail the test."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = [
    ("history:home", {}),
    ("history:timeline", {}),
    ("history:event-list", {}),
    ("history:event-detail", {"slug": "japan-kabul-legation-raised-to-embassy-1955"}),
    ("history:conference-detail", {"slug": "tokyo-reconstruction-conference-2002"}),
    ("history:aidprogram-list", {}),
    ("history:source-list", {}),
    ("history:about", {}),
]


@pytest.mark.parametrize("language", ["en", "ps"])
def test_main_pages_have_no_serious_accessibility_problems(chromium, live_server, seeded, language):
    # The site's CSP refuses injected scripts, as it should; axe is a test tool.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    problems = []
    for name, kwargs in PAGES:
        with translation.override(language):
            path = reverse(name, kwargs=kwargs)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.evaluate(AXE)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert result["testEngine"]["name"] == "axe-core"
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) at {targets}")
    context.close()
    assert problems == []
