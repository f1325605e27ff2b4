from django import template

from hub import pagecache

register = template.Library()


@register.simple_tag
def live_fragment(name, **params):
    return pagecache.live_fragment(name, **params)
