"""User accounts: one login (user ID and password) per person."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models


class Role(models.TextChoices):
    """What a user may do across the council; object checks add the organization."""

    SECRETARIAT = "secretariat", "事務局"
    BOARD = "board", "役員"
    REPRESENTATIVE = "representative", "団体管理者"
    STAFF = "staff", "会員職員"
    OBSERVER = "observer", "オブザーバ"


class DateStyle(models.TextChoices):
    WAREKI = "wareki", "和暦（令和8年11月21日）"
    WESTERN = "western", "西暦（2026年11月21日）"


class UserManager(DjangoUserManager):
    """Django's manager, except that a superuser always belongs to the secretariat."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        """Create a superuser with the secretariat's role (and so its required TOTP)."""
        # `createsuperuser` comes here: a superuser with a member's role would read every
        # answer and mail body with a password alone.
        role = extra.setdefault("role", Role.SECRETARIAT)
        if role != Role.SECRETARIAT:
            raise ValueError("A superuser must have the secretariat role.")
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person's login; the person's directory record links back through `person`."""

    full_name = models.CharField("氏名", max_length=100, blank=True)
    role = models.CharField("権限", max_length=20, choices=Role.choices, default=Role.STAFF)
    date_style = models.CharField(
        "日付の表示", max_length=10, choices=DateStyle.choices, default=DateStyle.WAREKI
    )

    objects = UserManager()

    class Meta:
        verbose_name = "ユーザー"
        verbose_name_plural = "ユーザー"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username
