"""The classification banner: the highest marking of anything shown on the page."""

from django import template

from meetings import classification

register = template.Library()


@register.simple_tag(takes_context=True)
def page_marking(context) -> int:
    """The view puts ``page_marking`` in the context; pages showing no meeting are the lowest."""
    return context.get("page_marking") or 0


@register.filter
def marking_label(level: int) -> str:
    return classification.label(int(level))
