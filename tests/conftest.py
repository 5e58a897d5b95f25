import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from history import kinds

# Playwright's sync API runs an event loop in the test thread; Django's ORM then
# thinks it is in async code. The tests only touch the database between browser
# steps, never concurrently, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_seed():
    """The seed fixtures through Django's loaddata, in the order the registry derives
    from the natural keys' dependencies (the order loaddata needs)."""
    call_command("loaddata", *[str(FIXTURES / f"{name}.json") for name in kinds.import_order()], verbosity=0)


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium (Debian's), driven by Playwright. Missing browser:
    skipped on a developer's machine, a failure in CI (REQUIRE_BROWSER=1)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # launch() starts Chromium with a fresh temporary user data dir of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def english():
    """get_absolute_url() reverses in the active language, and a request to /ja/
    leaves Japanese active in the thread: tests that ask for it start in English."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def seed_loader():
    """load_seed, for module-scoped fixtures that load the seed once."""
    return load_seed


@pytest.fixture
def seeded(transactional_db):
    """The seed content, for tests that serve it to a browser (live_server)."""
    load_seed()
