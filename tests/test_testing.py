"""The shared test helpers: TOTP codes that are still valid when they reach the server."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from renkei import testing

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Clock:
    """A clock that only moves when slept on."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept = 0.0

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


def code_of_step(step: int) -> str:
    return format_hotp_value(hotp_value(SECRET, step))


def test_totp_code_waits_for_the_next_step_near_the_end_of_one(monkeypatch):
    clock = Clock(1_800_000_000 + 28.5)  # 1.5 s left in step 60,000,000
    monkeypatch.setattr(time, "time", clock.time)
    monkeypatch.setattr(time, "sleep", clock.sleep)

    code = testing.totp_code(SECRET)

    assert code == code_of_step(60_000_001)
    assert 1.5 <= clock.slept < 2


def test_totp_code_is_immediate_with_time_left(monkeypatch):
    clock = Clock(1_800_000_000 + 10)
    monkeypatch.setattr(time, "time", clock.time)
    monkeypatch.setattr(time, "sleep", clock.sleep)

    assert testing.totp_code(SECRET) == code_of_step(60_000_000)
    assert clock.slept == 0
