"""The standards' own files the data tests validate against, where no package ships
them: ../shared/standards/ beside the project (its README says what each is)."""

from pathlib import Path

import pytest
from django.conf import settings


def standard(*parts):
    """The path of a file under ../shared/standards/; a test that needs a missing one
    fails, and says where it looked (CI counts a skipped test as a failure)."""
    path = Path(settings.BASE_DIR).parent.joinpath("shared", "standards", *parts)
    if not path.exists():
        pytest.fail(f"{path} is missing: the data tests read the standards' files from ../shared/standards/")
    return path
