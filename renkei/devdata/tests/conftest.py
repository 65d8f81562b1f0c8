"""The data generators' commands run only with DEBUG on, which pytest-django switches off."""

import pytest


@pytest.fixture
def debug_on(settings):
    """Run the test as in development: DEBUG on."""
    settings.DEBUG = True
