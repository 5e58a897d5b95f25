"""The interface is translated all the way: every string the code marks has a
reviewed-looking (non-empty, non-fuzzy) entry in ja, fa-af and ps, and the
compiled catalogues are present so /ps/ and /fa-af/ resolve."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, trans_real

ROOT = Path(settings.BASE_DIR)
CATALOGUES = {"ja": "ja", "fa-af": "fa_AF", "ps": "ps"}


def catalogue(directory):
    with open(ROOT / "locale" / directory / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle)


def message_ids(po):
    return {message.id if isinstance(message.id, str) else message.id[0] for message in po if message.id}


@pytest.mark.parametrize("directory", CATALOGUES.values())
def test_no_entry_is_empty_or_fuzzy(directory):
    po = catalogue(directory)
    empty = [m.id for m in po if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert len(po) > 100
    assert empty == []
    assert fuzzy == []


@pytest.mark.parametrize("directory", CATALOGUES.values())
def test_placeholders_survive_translation(directory):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue(directory):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(ids[-1]))
        for text in strings:
            # A plural form may drop the count (一件 / one), never add a new name.
            assert set(placeholder.findall(text)) <= wanted | set(placeholder.findall(ids[0])), message.id


def test_catalogues_cover_every_marked_string(tmp_path):
    """Extract the strings afresh from a copy of the code and compare: a string added
    to a template or model without a translation fails here."""
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext is missing; .ci/run installs gettext")
        pytest.skip("gettext's xgettext is not installed")
    for name in ("manage.py", "config", "history", "templates", "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v0", *[f"-l{d}" for d in CATALOGUES.values()]],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    for directory in CATALOGUES.values():
        with open(tmp_path / "locale" / directory / "LC_MESSAGES" / "django.po", "rb") as handle:
            fresh = message_ids(read_po(handle))
        missing = fresh - message_ids(catalogue(directory))
        assert missing == set(), f"{directory}: run makemessages and translate {sorted(missing)[:10]}"
        # makemessages does not read Jinja2's templates: what they say must be
        # extracted from elsewhere (history.jinja.JINJA2_MESSAGES), or the next
        # makemessages --no-obsolete would drop it.
        unextracted = jinja2_messages() - fresh
        assert unextracted == set(), f"add to history.jinja.JINJA2_MESSAGES: {sorted(unextracted)}"


def jinja2_messages():
    """Every message the templates of templates/jinja2/ say, by Jinja2's own extractor."""
    from django.template import engines

    environment = engines["jinja2"].env
    found = set()
    for path in (ROOT / "templates" / "jinja2").rglob("*"):
        if path.is_file():
            for _line, _function, message in environment.extract_translations(path.read_text(encoding="utf-8")):
                found.add(message if isinstance(message, str) else message[0])
    return found


def test_jinja2_messages_are_found_by_the_extractor():
    """The check above reads what Jinja2's extractor finds: it finds the messages."""
    assert {"%(decade)ss", "The site follows this value."} <= jinja2_messages()


@pytest.mark.parametrize("code", ["ja", "fa-af", "ps"])
def test_compiled_catalogue_is_found(code):
    assert trans_real.check_for_language(code)
    with translation.override(code):
        assert translation.gettext("Timeline") != "Timeline"


@pytest.mark.django_db
def test_language_names_are_dari_and_pashto_never_persian(client):
    assert get_language_info("fa-af")["name_local"] == "دری"
    assert get_language_info("ps")["name_local"] == "پښتو"
    with translation.override("fa-af"):
        html = client.get(reverse("history:home")).content.decode()
    assert "دری" in html and "پښتو" in html
    assert "Persian" not in html and "فارسی" not in html
