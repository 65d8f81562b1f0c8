"""Pages link their CSS by the hashed names collectstatic writes in production, and nothing
else: every style is in those files (no inline style, see tests/test_every_page.py)."""

import re

from django.core.management import call_command
from django.test import Client

PRODUCTION_STATIC = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_pages_link_the_hashed_stylesheets_collectstatic_wrote(council, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC}}
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    client.force_login(council.staff)

    html = client.get("/").content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)">', html)

    assert [re.sub(r"\.[0-9a-f]{12}\.css$", ".css", s) for s in sheets] == [
        "css/renkei.css",
        "inquiries/inquiries.css",
    ]
    for sheet in sheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", sheet), sheet
        assert (tmp_path / sheet).is_file() and (tmp_path / f"{sheet}.gz").is_file()
