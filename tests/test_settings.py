"""Production settings refuse to start without a secret key, and read the key that
`make run` keeps in an untracked file."""

import os
import subprocess
import sys

from django.conf import settings

PROBE = "import config.settings as s; print(s.SECRET_KEY)"


def run_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SECRET_KEY_FILE": str(tmp_path / "no-such-file"), **env},
        capture_output=True,
        text=True,
    )


def test_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_reads_the_key_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-the-file\n", encoding="utf-8")
    result = run_settings(tmp_path, DJANGO_SECRET_KEY_FILE=str(key_file))
    assert result.stdout.strip() == "from-the-file"


def test_the_environment_wins_over_the_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-the-file", encoding="utf-8")
    result = run_settings(tmp_path, DJANGO_SECRET_KEY_FILE=str(key_file), DJANGO_SECRET_KEY="from-env")
    assert result.stdout.strip() == "from-env"
