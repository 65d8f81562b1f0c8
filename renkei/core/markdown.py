"""User Markdown turned into safe HTML: rendered, then sanitised with nh3."""

import threading

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


EXTENSIONS = ["tables", "sane_lists", "nl2br"]

# One converter per thread, reset for each text (Python-Markdown's documented way to convert
# many texts): building one loads its extensions, which costs more than a short text's
# conversion. A converter holds state while it runs, so threads do not share one.
_converters = threading.local()


def _converter() -> markdown.Markdown:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=EXTENSIONS)
    return converter


def markdown_html(text: str) -> SafeString:
    """Render user Markdown to HTML with only harmless tags and links left."""
    html = _converter().reset().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # Safe because nh3 has just removed every tag and attribute not listed above.
    return mark_safe(cleaned)
