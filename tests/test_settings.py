"""The test settings: what lets the suite run on PostgreSQL cleanly and twice at once."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _test_settings(**env: str) -> str:
    """Print the default database's settings as a fresh process with `env` sees them."""
    code = (
        "import django; django.setup();"
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d.get('TEST', {}).get('NAME'))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"RENKEI_TEST_DATABASE"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_test_database_name_comes_from_the_environment():
    assert (
        _test_settings(
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/renkei",
            RENKEI_TEST_DATABASE="test_renkei_checkout2",
        )
        == "0 test_renkei_checkout2"
    )


def test_tests_keep_no_database_connection_open_between_requests():
    conn_max_age, _name = _test_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/renkei"
    ).split()
    assert conn_max_age == "0"


def test_make_test_postgres_names_a_test_database_per_checkout():
    dry_run = subprocess.run(
        ["make", "-n", "test-postgres"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "RENKEI_TEST_DATABASE=${RENKEI_TEST_DATABASE:-test_renkei_" in dry_run
