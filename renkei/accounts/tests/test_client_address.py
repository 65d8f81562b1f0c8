"""The audit log, the login throttle and allauth's rate limits read one client address."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory

from renkei.core.client_address import client_address

PROXY = "10.0.0.1"
CLIENT = "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        (1, CLIENT),
        (1, f"198.51.100.66, {CLIENT}"),
        (1, ""),
        (1, "2001:db8::1"),
        (2, CLIENT),  # fewer entries than trusted proxies
    ],
    ids=["client", "client-written entry", "no header", "ipv6", "short header"],
)
def test_allauth_reads_the_client_address_the_way_the_audit_log_does(settings, proxies, forwarded):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert get_adapter(request).get_client_ip(request) == client_address(request)


def test_password_reset_through_a_proxy_with_a_short_header_is_answered(council, settings):
    # allauth's own reading refuses such a request (ImproperlyConfigured, a server error)
    # in its password-reset rate limit; the product's reading takes the proxy's address.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    response = client.post("/accounts/password/reset/", {"email": council.staff.email})

    assert response.status_code == 302
