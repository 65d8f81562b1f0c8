"""The trail at the top of a page: a feature's index is linked from its pages, not from itself."""

from django.urls import reverse

from renkei.core.breadcrumbs import section_crumbs


def test_the_index_page_names_itself_without_a_link():
    assert section_crumbs("会議", "meetings:list") == [
        ("ホーム", reverse("home")),
        ("会議", None),
    ]


def test_a_page_under_the_index_links_back_to_it():
    assert section_crumbs("会議", "meetings:list", ("役員会", None)) == [
        ("ホーム", reverse("home")),
        ("会議", reverse("meetings:list")),
        ("役員会", None),
    ]
