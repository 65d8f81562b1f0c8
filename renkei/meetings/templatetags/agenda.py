"""The agenda of a meeting page, written in one filter call (30 items with materials are normal)."""

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _materials(materials) -> str:
    if not materials:
        return ""
    links = "".join(
        f'<li><a href="{escape(m.url)}">{escape(m.label)} {escape(m.title)}</a></li>'
        for m in materials
    )
    return f'<ul class="mt-materials">{links}</ul>'


@register.filter
def agenda_items(agenda) -> SafeString:
    """Return the <li> of each item: title, presenter, materials and the record it points at.

    Every value is escaped here; the summary of a referenced record (few per meeting) is
    rendered by core's template.
    """
    out = []
    for item in agenda:
        presenter = item.presenter or (
            item.presenter_organization.name if item.presenter_organization else ""
        )
        parts = [f'<li><span class="mt-item-title">{escape(item.title)}</span>']
        if presenter:
            parts.append(f'<span class="mt-presenter">（説明：{escape(presenter)}）</span>')
        parts.append(_materials(item.material_list))
        if item.record_summary is not None:
            parts.append(
                render_to_string("core/_record_summary.html", {"summary": item.record_summary})
            )
        parts.append("</li>")
        out.append("".join(parts))
    return mark_safe("\n".join(out))


@register.filter
def material_links(materials) -> SafeString:
    """Return the list of links to materials (the ones of no agenda item)."""
    return mark_safe(_materials(materials))
