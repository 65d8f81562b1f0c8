"""The authentication backend: allauth's login, and each request's user read with their person."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class UserWithPersonBackend(AuthenticationBackend):
    """Log in by user ID (allauth); load the user with their person and organization at once.

    Nearly every page asks which organization the user acts for (the person's), and many show
    it, so reading both with the user saves a query or two on each of them.
    """

    def get_user(self, user_id: Any) -> Any:
        """Return the active user with the given id, their person and organization joined in."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("person__organization").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
