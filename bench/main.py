"""Run every benchmark and print one line each: `bench/run [--quick]`."""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.harness import Measurement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> str:
    """Configure Django on a fresh test database (never the one DATABASE_URL names itself)."""
    # The development settings install the demo loader (renkei.devdata); DEBUG stays off.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("RENKEI_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench.urls"
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    # Django's test database: test_<name> on PostgreSQL, in memory on SQLite, dropped at exit.
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection.vendor


def teardown_django() -> None:
    """Drop the benchmark's test database."""
    from django.conf import settings
    from django.db import connection

    connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def standalone(run: "Callable[..., list[Measurement]]", *, description: str, dataset: str) -> int:
    """Run one benchmark module on its own: read --repeat, time on a test database, print."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    database = setup_django()
    try:
        measurements = run(repeat=args.repeat)
        for m in measurements:
            print(m.line(), flush=True)
        print(f"# dataset: {dataset}; database: {database}", flush=True)
        return 0 if all(m.ok for m in measurements) else 1
    finally:
        teardown_django()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller dataset and fewer runs")
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    database = setup_django()
    try:
        return run(quick=args.quick, repeat=args.repeat, database=database)
    finally:
        teardown_django()


def run(*, quick: bool, repeat: int | None, database: str) -> int:
    """Load the demo council and time the foundation's pages."""
    from bench import pages
    from renkei.devdata.demo import demo_load

    result = demo_load()
    dataset = f"demo council: {result.members:,} member organizations, {result.people:,} people"
    repeat = repeat or (10 if quick else 30)
    measurements = pages.run(repeat=repeat)
    for m in measurements:
        print(m.line(), flush=True)
    print(f"# dataset: {dataset}; database: {database}", flush=True)
    return 0 if all(m.ok for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
