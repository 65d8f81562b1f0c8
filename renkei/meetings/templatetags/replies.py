"""The replies table of a meeting page, written in one filter call (100 rows are normal)."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _reply(response) -> str:
    text = response.get_reply_display() or "未回答"
    return f"{text}（代理：{response.deputy_name}）" if response.deputy_name else text


@register.filter
def reply_rows(responses, recorded: bool) -> SafeString:
    """Return the <tr> rows of the replies: organization, name, category, reply[, attended]."""
    if recorded:
        return format_html_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.organization_name,
                    r.person_name,
                    r.category,
                    _reply(r),
                    "出席" if r.attended else "欠席",
                )
                for r in responses
            ),
        )
    return format_html_join(
        "\n",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((r.organization_name, r.person_name, r.category, _reply(r)) for r in responses),
    )
