"""Template tags of the house."""

from django import template
from django.utils.html import format_html

from ocop.core.once import FIELD, new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """The create form's one-time token (see `core.once`)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_form_token())
