"""The client's address behind the council's reverse proxies."""

import pytest
from django.test import RequestFactory

from renkei.core.client_address import client_address


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "", "192.0.2.1"),
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is not believed
        (1, "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.1", "198.51.100.66, 203.0.113.9", "203.0.113.9"),  # client-written entry
        (2, "10.0.0.2", "198.51.100.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # the proxy sent no header: its own address
        (1, "10.0.0.1", "not-an-address", None),
        (1, "10.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


def test_no_request_has_no_address():
    assert client_address(None) is None
