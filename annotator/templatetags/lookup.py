from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key):
    """`{{ counts|get:label.value }}`: a dict's value in a template (0 when missing)."""
    return mapping.get(key, 0) if mapping else 0
