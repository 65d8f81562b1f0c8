"""Page benchmarks of the foundation: member home, organization list and detail, membership."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.harness import Measurement, paired_ms


def client_for(username: str) -> Client:
    """Return a test client logged in as the user."""
    from renkei.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def get_ok(client: Client, path: str) -> bytes:
    """Fetch a page and insist on a 200 answer, so a broken page never looks fast."""
    response = client.get(path)
    if response.status_code != 200:
        raise AssertionError(f"{path} answered {response.status_code}")
    return response.content


def count_queries(client: Client, path: str) -> int:
    """Return the number of SQL queries one request makes."""
    with CaptureQueriesContext(connection) as queries:
        get_ok(client, path)
    return len(queries)


def run(*, repeat: int) -> list[Measurement]:
    """Time the foundation's pages as a member of 当別町, each paired with the baseline view.

    The baseline is the empty layout for the same logged-in member, through the full
    middleware stack (bench/urls.py).
    """
    from renkei.directory.models import Organization

    client = client_for("tobetsu")

    def baseline() -> None:
        get_ok(client, "/bench/baseline/")

    fukagawa = Organization.objects.get(code="012289")
    pages = [
        ("home", "/"),
        ("organization_list", "/organizations/"),
        ("organization_search", "/organizations/?q=ふかがわ&membership=member"),
        ("organization_detail", f"/organizations/{fukagawa.pk}/"),
        ("membership_status", "/membership/"),
        ("people_search", "/people/?q=課長"),
    ]
    results = []
    for name, path in pages:
        ms, baseline_ms = paired_ms(lambda path=path: get_ok(client, path), baseline, repeat=repeat)
        results.append(
            Measurement(
                name=f"page_{name}",
                median_ms=ms,
                baseline_ms=baseline_ms,
                target=5,
                queries=count_queries(client, path),
                size_kb=len(get_ok(client, path)) / 1024,
            )
        )
    return results
