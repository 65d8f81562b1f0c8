"""A burst of registrations never overbooks an event (PostgreSQL, concurrent requests)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from renkei.events import services
from renkei.events.models import Registration, RegistrationStatus
from renkei.events.tests.builders import event_draft

ATTEMPTS = 500
SEATS = 100
WORKERS = 16


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database serialises whole connections; the burst "
    "runs on PostgreSQL, where concurrent requests really race for the seats",
)
def test_500_confirmations_for_100_seats_confirm_exactly_100():
    from renkei.testing import make_council

    council = make_council()
    event = services.event_create(by=council.secretariat, draft=event_draft(capacity=SEATS))
    services.event_publish(event=event, by=council.secretariat)
    pending = Registration.objects.bulk_create(
        Registration(
            event=event,
            status=RegistrationStatus.UNCONFIRMED,
            name=f"参加者{n:03d}",
            organization_name="未加入町",
            email=f"p{n:03d}@example.lg.jp",
            is_member=False,
        )
        for n in range(ATTEMPTS)
    )
    tokens = [registration.token for registration in pending]
    start = threading.Barrier(WORKERS)

    def confirm_share(share: list[str]) -> list[int]:
        client = Client()
        statuses = []
        try:
            start.wait()
            for token in share:
                response = client.post(reverse("events:registration_confirm", args=[token]))
                statuses.append(response.status_code)
        finally:
            connection.close()
        return statuses

    shares = [tokens[i::WORKERS] for i in range(WORKERS)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = [code for codes in pool.map(confirm_share, shares) for code in codes]

    assert statuses == [302] * ATTEMPTS
    counts = {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in RegistrationStatus.values
    }
    assert counts[RegistrationStatus.CONFIRMED] == SEATS
    assert counts[RegistrationStatus.WAITLISTED] == ATTEMPTS - SEATS
    assert counts[RegistrationStatus.UNCONFIRMED] == 0
