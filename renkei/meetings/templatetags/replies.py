"""The replies table of a meeting page, written in one filter call (100 rows are normal)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _reply(response) -> str:
    text = response.get_reply_display() or "未回答"
    return f"{text}（代理：{response.deputy_name}）" if response.deputy_name else text


@register.filter
def reply_rows(responses, recorded: bool) -> SafeString:
    """Return the <tr> rows of the replies: organization, name, category, reply[, attended].

    Plain strings escaped with the standard library's html.escape (what Django's escape does,
    without its lazy-string wrapper per call): 500 cells are a hot loop.
    """
    rows = []
    for r in responses:
        cells = [r.organization_name, r.person_name, r.category, _reply(r)]
        if recorded:
            cells.append("出席" if r.attended else "欠席")
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return mark_safe("\n".join(rows))
