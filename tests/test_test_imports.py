"""Test helpers live in fixtures, `renkei/testing.py` or a helper module, never in a test module.

A test module that imports another one runs that module's tests' imports (and fixtures) too,
and ties the two files together: a helper moved or renamed there breaks tests elsewhere.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_test_modules(source: str) -> list[str]:
    """Return the test modules (test_*.py or conftest.py) the source imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = [module] + [f"{module.rstrip('.')}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = [part for part in name.split(".") if part]
            if any(part.startswith("test_") or part == "conftest" for part in parts):
                found.append(name)
                break
    return found


def files_of_the_tests() -> list[Path]:
    """Return every Python file of the tests: tests/, each app's tests/ and the conftests."""
    files = [ROOT / "conftest.py", *(ROOT / "tests").rglob("*.py")]
    files += [path for path in (ROOT / "renkei").rglob("*.py") if "tests" in path.parts]
    return sorted(files)


def test_no_test_code_imports_a_test_module_or_a_conftest():
    offenders = {
        str(path.relative_to(ROOT)): names
        for path in files_of_the_tests()
        if (names := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "move the shared helpers to a fixture or a helper module"


def test_the_check_sees_every_form_of_importing_a_test_module():
    source = "\n".join(
        [
            "from renkei.inquiries.tests.test_services import make_open",
            "from .test_views import login",
            "from . import test_views",
            "import tests.test_every_page",
            "from renkei.events.tests.conftest import event_draft",
            "from renkei.inquiries.tests.builders import make_open",
            "from renkei.testing import login_client",
        ]
    )
    assert imported_test_modules(source) == [
        "renkei.inquiries.tests.test_services",
        ".test_views",
        ".test_views",
        "tests.test_every_page",
        "renkei.events.tests.conftest",
    ]
