"""The data generators' commands: development only, absent from production and from the wheel."""

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from renkei.accounts.models import User
from renkei.devdata.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from renkei.devdata.scale import SCALE_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
REFUSAL = "開発用のデータ生成は DEBUG が有効な開発環境でのみ実行できます"


def _manage(*args: str, settings_module: str | None) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process with `settings_module` (None: manage.py's default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="renkei.example.lg.jp")
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "command", [["load_demo"], ["load_demo", "--if-empty"], ["seed_scale", "--small"]]
)
def test_commands_refuse_to_run_with_debug_off(db, settings, command):
    settings.DEBUG = False

    with pytest.raises(CommandError, match=REFUSAL):
        call_command(*command, stdout=io.StringIO())

    assert not User.objects.exists()


def test_load_demo_runs_with_debug_on(db, debug_on):
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "デモデータを読み込みました" in out.getvalue()
    assert User.objects.filter(username="jimukyoku").exists()


def test_production_settings_do_not_install_the_data_generators():
    code = "import django; django.setup(); from django.conf import settings; print(settings.INSTALLED_APPS)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        check=True,
    )

    assert "renkei.portal" in result.stdout
    assert "renkei.devdata" not in result.stdout


def test_manage_py_under_production_settings_offers_no_data_generators():
    production = _manage("help", settings_module="config.settings.production")
    development = _manage("help", settings_module=None)

    assert production.returncode == 0, production.stderr
    assert "migrate" in production.stdout
    assert "load_demo" not in production.stdout
    assert "seed_scale" not in production.stdout
    assert "load_demo" in development.stdout
    assert "seed_scale" in development.stdout


def test_load_demo_with_debug_off_prints_the_refusal_on_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_DEBUG": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert REFUSAL in result.stderr


def test_the_wheel_ships_no_data_generator_and_no_fixed_secret(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("renkei", "config"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    # Offline: build isolation takes setuptools from the local package index (pip.conf).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            ".",
        ],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    (wheel,) = (tmp_path / "dist").glob("renkei-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "renkei/portal/views.py" in names
        assert not [name for name in names if name.startswith("renkei/devdata")]
        for name in names:
            # METADATA carries README.md, which tells developers the demo's password.
            if name.endswith(".dist-info/METADATA"):
                continue
            content = archive.read(name)
            for secret in (DEMO_PASSWORD, SCALE_PASSWORD, DEMO_TOTP_SECRET):
                assert secret.encode() not in content, (name, secret)
