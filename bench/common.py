"""What every benchmark script starts with: a throw-away database and data folder, and Django."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django() -> Path:
    """Set Django up on a fresh SQLite file in a new temporary folder (or on DATABASE_URL's
    server when set) with the test settings; returns the folder."""
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="qingshen-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["QINGSHEN_VAR_DIR"] = str(workdir)

    import django

    django.setup()
    return workdir


class Clock:
    """Wall and CPU seconds of a block: `with Clock() as clock: …`, then clock.wall, clock.cpu."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
