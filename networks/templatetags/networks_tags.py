from django import template

from hub.subpages import subpage_url
from networks.approval import directory

register = template.Library()


@register.simple_tag(takes_context=True)
def directory_url(context, name, **kwargs):
    """The URL of a route of the network directory, for templates that have no directory page."""
    return subpage_url(directory(), name, request=context.get("request"), **kwargs)
