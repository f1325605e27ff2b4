import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the script element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict):
    """`{{ data|json_ld }}`: a <script type="application/ld+json"> element, safely escaped."""
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def network_calendar_url(network) -> str:
    """The iCalendar feed of a network's events, for the network's own page to announce."""
    return reverse("events:network_feed", args=[network.slug])


@register.simple_tag
def access_icon(name: str):
    """An access and safety icon from the sprite, hidden from screen readers: the words beside
    it always say the same."""
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false" width="20" height="20">'
        '<use href="{}#{}"></use></svg>',
        static("img/access-icons.svg"),
        name,
    )
