"""Directory templates and the navigation show what the capabilities allow (`caps`), as views do."""

import pytest
from django.urls import reverse

ROLES = ("secretariat", "board", "representative", "staff", "observer")


@pytest.mark.parametrize("role", ROLES)
def test_only_directory_managers_see_the_secretariat_menu_in_the_navigation(
    role, council, client_as
):
    page = client_as(getattr(council, role)).get(reverse("accounts:settings"))
    assert page.status_code == 200
    assert ("事務局メニュー" in page.content.decode()) is (role == "secretariat")


@pytest.mark.parametrize("role", ROLES)
def test_only_directory_managers_see_membership_and_transfer_buttons(role, council, client_as):
    client = client_as(getattr(council, role))
    organization = client.get(
        reverse("directory:organization_detail", args=[council.member_org.pk])
    ).content.decode()
    assert ("会員資格の管理" in organization) is (role == "secretariat")
    person = client.get(reverse("directory:person_detail", args=[council.staff.person.pk]))
    if person.status_code == 200:
        assert ("人事異動・退職を登録する" in person.content.decode()) is (role == "secretariat")
    else:
        assert role == "observer" and person.status_code == 403


def test_secretariat_menu_links_every_desk_of_the_secretariat_and_each_opens(council, client_as):
    client = client_as(council.secretariat)
    page = client.get(reverse("directory:manage_index")).content.decode()
    desks = [
        reverse("inquiries:list") + "?tab=review",
        reverse("polls:queue"),
        reverse("announcements:manage_list"),
        reverse("events:create"),
        reverse("meetings:create"),
    ]

    for url in desks:
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200, url
