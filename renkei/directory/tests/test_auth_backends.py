"""The authentication backend: each request's user comes with their directory person."""

from django.urls import reverse

from renkei.directory.auth_backends import UserWithPersonBackend
from renkei.testing import PASSWORD


def test_user_is_read_with_their_person_in_one_query(council, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserWithPersonBackend().get_user(council.staff.pk)
        organization_id = user.person.organization_id

    assert organization_id == council.member_org.pk


def test_deactivated_user_is_not_loaded(council):
    council.staff.is_active = False
    council.staff.save()

    assert UserWithPersonBackend().get_user(council.staff.pk) is None
    assert UserWithPersonBackend().get_user(999_999) is None


def test_member_logs_in_by_user_id_and_is_known_on_the_next_page(council, client):
    response = client.post(
        reverse("account_login"), {"login": council.staff.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == council.staff
