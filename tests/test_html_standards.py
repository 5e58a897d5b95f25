"""Every page type in every language is valid HTML: the Nu HTML Checker (npm
vnu-jar, run on the machine's Java) reports no error. The pages are the ones the
site serves with the seed content, as the test client receives them."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pages import LANGUAGES, page_types, path_of

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


def nu_checker():
    missing = [] if VNU.exists() else [f"{VNU} (npm ci installs it)"]
    if shutil.which("java") is None:
        missing.append("java (.ci/run installs default-jre-headless)")
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("missing: " + ", ".join(missing))
        pytest.skip("missing: " + ", ".join(missing))
    return ["java", "-Xss1024k", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]


def test_every_page_type_in_every_language_has_no_html_error(client, seed_loader, tmp_path, english):
    command = nu_checker()
    seed_loader()
    files = {}
    for language in LANGUAGES:
        for name, url_name, kwargs, query in page_types():
            path = path_of(url_name, kwargs, query, language)
            response = client.get(path)
            assert response.status_code == 200, path
            file = tmp_path / f"{language}-{name}.html"
            file.write_bytes(response.content)
            files[file.name] = path
    result = subprocess.run([*command, str(tmp_path)], capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{files.get(Path(message.get('url', '')).name)}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error"
    ]
    assert len(files) == len(LANGUAGES) * len(page_types())
    assert problems == []
