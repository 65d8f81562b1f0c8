"""The trail at the top of a page (現在位置): ホーム, the feature, then the page's parents."""

from django.urls import reverse

Crumb = tuple[str, str | None]


def section_crumbs(label: str, url_name: str, *trail: Crumb) -> list[Crumb]:
    """Return ホーム › a feature's index › the trail; the index is named, not linked, when it is
    the page itself (no trail)."""
    index = (label, reverse(url_name) if trail else None)
    return [("ホーム", reverse("home")), index, *trail]
