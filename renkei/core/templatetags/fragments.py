"""{% fragment "app/_rows.html" %}: draw a Jinja2 fragment with the page's context."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, template_name: str) -> SafeString:
    """Render the Jinja2 template with the page's variables, as {% include %} would."""
    rendered = get_template(template_name, using="jinja2").render(
        context.flatten(), request=context.get("request")
    )
    # Safe: Jinja2 rendered it with autoescape on (renkei.core.fragments).
    return mark_safe(rendered)
