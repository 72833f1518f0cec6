"""What the ASGI entry point does once per app process, before it answers anyone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_loaded_application_is_kept_out_of_full_garbage_collections():
    # A fresh interpreter, as an app process starts: the application's own objects are frozen,
    # so a full collection walks what requests allocate, not the whole of Django and Wagtail.
    script = (
        "import gc, time\n"
        "import broadsheet.asgi\n"
        "started = time.perf_counter(); gc.collect(); took = time.perf_counter() - started\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    out = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, still_tracked = int(out[0]), int(out[1])
    assert frozen > 50_000
    assert still_tracked < frozen / 5
