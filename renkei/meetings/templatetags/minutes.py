"""Minutes on a page: paragraphs and statements written in one filter call each."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def paragraphs(text: str) -> SafeString:
    """Return each line of the text as an escaped <p>."""
    return mark_safe("".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line))


@register.filter
def statements(section) -> SafeString:
    """Return a section's statements: speaker in parentheses, then the words; narrative plain.

    Called once per section instead of running template nodes per statement and per line (a
    three-hour meeting has 300 statements).
    """
    out = []
    for statement in section.statements.all():
        words = paragraphs(statement.text)
        if statement.speaker:
            out.append(
                f'<div class="minutes-statement"><p class="minutes-speaker">'
                f"({escape(statement.speaker)})</p>{words}</div>"
            )
        else:
            out.append(words)
    return mark_safe("".join(out))
