"""Rules the public templates keep (the admin's templates are Django's shape, not ours):
short lines, and no template deciding what readers may see: records arrive
already narrowed to published ones (history.views.records)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PUBLIC = sorted(path for path in TEMPLATES.rglob("*.html") if "admin" not in path.relative_to(TEMPLATES).parts)
MAX_LINE = 160


def test_there_are_public_templates():
    assert len(PUBLIC) > 20


@pytest.mark.parametrize("path", PUBLIC, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_line_is_longer_than_the_limit(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert len(line) <= MAX_LINE, f"{path.name}:{number} has {len(line)} characters"


@pytest.mark.parametrize("path", PUBLIC, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_tests_whether_a_record_is_published(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bis_published\b|\.status\b", text), path.name
