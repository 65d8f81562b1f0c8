"""User Markdown turned into HTML that is safe to show."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# Tags that Markdown produces and that are safe to show; everything else is dropped.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


def markdown_html(text: str) -> SafeString:
    """Render user Markdown to HTML with only harmless tags and links left."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "nl2br"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Safe because nh3 has just removed every tag and attribute not listed above.
    return mark_safe(cleaned)
