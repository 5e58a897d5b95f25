"""One benchmark step in its own process, so peak memory is that step's alone.
Usage: step.py COMMAND [ARGS...]; prints {"seconds": ..., "peak_mb": ...} as JSON."""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

started = time.perf_counter()
with open(os.devnull, "w") as quiet:
    call_command(*sys.argv[1:], stdout=quiet, stderr=quiet)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}))
