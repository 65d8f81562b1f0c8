"""The list table: one markup for every list page's table (templates/includes/list_table.html).

Registered as a template builtin. A page writes only its header cells and its rows:

    {% list_table rows=page caption="団体の一覧" hide_caption=True empty="該当する団体はありません。" %}
      <th scope="col">団体名</th><th scope="col" class="num">人数</th>
    {% list_rows %}
      {% for org in page %}<tr><td>{{ org.name }}</td><td class="num">{{ org.size }}</td></tr>{% endfor %}
    {% end_list_table %}

The include puts them in a box that scrolls sideways on a narrow screen, with the caption
(hidden or shown) and the thead; when there are no rows it says `empty` instead of drawing an
empty table. Optional: `table_class` (a class on the table, for a page's own column widths).
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.utils.safestring import mark_safe

register = template.Library()

OPTIONS = {"rows", "caption", "hide_caption", "empty", "table_class"}
REQUIRED = {"rows", "caption", "empty"}


class ListTableNode(template.Node):
    """Render the header cells and rows inside includes/list_table.html."""

    def __init__(self, options: dict[str, FilterExpression], head: NodeList, body: NodeList):
        self.options = options
        self.head = head
        self.body = body

    def render(self, context: template.Context) -> str:
        values: dict[str, Any] = {k: v.resolve(context) for k, v in self.options.items()}
        # bool() fills a queryset's cache, so the rows' own {% for %} runs no second query.
        has_rows = bool(values.pop("rows"))
        include = context.template.engine.get_template("includes/list_table.html")
        return include.render(
            context.new(
                {
                    **values,
                    "has_rows": has_rows,
                    "head": mark_safe(self.head.render(context)) if has_rows else "",
                    "body": mark_safe(self.body.render(context)) if has_rows else "",
                }
            )
        )


@register.tag("list_table")
def list_table(parser: Parser, token: Token) -> ListTableNode:
    """Parse {% list_table rows=… caption=… empty=… %} head {% list_rows %} rows {% end_list_table %}."""
    bits = token.split_contents()
    options = token_kwargs(bits[1:], parser, support_legacy=False)
    if len(options) != len(bits) - 1:
        raise template.TemplateSyntaxError("list_table takes only name=value options.")
    unknown = set(options) - OPTIONS
    missing = REQUIRED - set(options)
    if unknown or missing:
        raise template.TemplateSyntaxError(
            f"list_table: unknown options {sorted(unknown)}, missing {sorted(missing)}."
        )
    head = parser.parse(("list_rows",))
    parser.delete_first_token()
    body = parser.parse(("end_list_table",))
    parser.delete_first_token()
    return ListTableNode(options, head, body)
