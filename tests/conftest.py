import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.html import parse_html
from django.utils import translation

from history import kinds
from history.publishing import EDITORS, PUBLISHERS
from tests.factories import make_staff

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


# The two editors' roles, for admin tests (tests.factories.make_staff).


@pytest.fixture
def editor(db):
    """amina, in Editors: adds and changes records, cannot publish."""
    return make_staff("amina", EDITORS)


@pytest.fixture
def publisher(db):
    """kenji, in Publishers: also publishes, unpublishes and deletes."""
    return make_staff("kenji", PUBLISHERS)


class ParsedPage:
    """A page parsed into elements (django.test.html), so that a test can say
    which element holds what instead of searching the page's text."""

    def __init__(self, content):
        self.root = parse_html(content.decode() if isinstance(content, bytes) else content)

    def find_all(self, tag, within=None, **attributes):
        """Elements named `tag` (or any, for "*") under `within` (the page by
        default) whose attributes have the given values; class_="x" matches
        an element with class x among others."""
        wanted = {name.rstrip("_"): value for name, value in attributes.items()}
        return [
            element
            for element in self._descendants(within or self.root)
            if tag in ("*", element.name) and all(self._has(element, name, value) for name, value in wanted.items())
        ]

    def find(self, tag, within=None, **attributes):
        found = self.find_all(tag, within, **attributes)
        assert len(found) == 1, f"{len(found)} <{tag} {attributes}> on the page"
        return found[0]

    @staticmethod
    def text(element):
        return " ".join(
            child if isinstance(child, str) else ParsedPage.text(child) for child in element.children
        ).strip()

    @staticmethod
    def attribute(element, name):
        return dict(element.attributes).get(name)

    @classmethod
    def _has(cls, element, name, value):
        present = cls.attribute(element, name)
        if name == "class":
            return value in (present or "").split()
        return present == value

    @classmethod
    def _descendants(cls, element):
        for child in element.children:
            if not isinstance(child, str):
                yield child
                yield from cls._descendants(child)


@pytest.fixture
def parsed():
    """parsed(response.content) -> ParsedPage."""
    return ParsedPage


@pytest.fixture(scope="module")
def module_seed(django_db_setup, django_db_blocker):
    """The seed content for the tests of one module that only read it: loaded once,
    inside a transaction rolled back after the module, so other modules see an
    empty database."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_seed()
        yield
        transaction.set_rollback(True)
