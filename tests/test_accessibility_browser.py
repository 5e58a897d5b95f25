"""Accessibility in a real browser: axe-core (npm, node_modules/) checks every page
type with the seed content in all four languages. Serious and critical problems
fail the test."""

import os
from pathlib import Path

import pytest

from tests.pages import LANGUAGES, page_types, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} is missing: npm ci installs it")
        pytest.skip(f"{AXE} is missing: npm ci installs it")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_has_no_serious_accessibility_problem(chromium, live_server, seeded, axe_source, language):
    # The site's CSP refuses injected scripts, as it should; axe is a test tool.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    problems, checked = [], 0
    for _name, url_name, kwargs, query in page_types():
        path = path_of(url_name, kwargs, query, language)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert result["testEngine"]["name"] == "axe-core"
        checked += 1
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) at {targets}")
    context.close()
    assert checked == len(page_types())
    assert problems == []
