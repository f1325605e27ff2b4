from django import template

from hub.subpages import subpage_url
from networks.approval import directory

register = template.Library()


@register.simple_tag(takes_context=True)
def directory_url(context, name, **kwargs):
    """The URL of a route of the network directory, for templates that have no directory page."""
    return subpage_url(directory(), name, request=context.get("request"), **kwargs)


# Circles of these sizes (px) have a rule in site.css: the public CSP allows no inline style.
BADGE_SIZES = (40, 56, 64, 96)
# As many colours as site.css gives `.network-badge--colour-N`, all dark enough for white
# initials to pass WCAG AA.
BADGE_COLOURS = 7


@register.inclusion_tag("networks/includes/network_badge.html")
def network_badge(network, size=64):
    """The network's logo, or its initials in a circle of a colour its name picks."""
    if size not in BADGE_SIZES:
        raise template.TemplateSyntaxError(f"network_badge sizes are {BADGE_SIZES}, not {size}")
    words = [word for word in network.title.split() if word[:1].isalnum()]
    initials = "".join(word[0] for word in words[:2]).upper() or network.title[:1].upper()
    colour = sum(map(ord, network.title)) % BADGE_COLOURS
    return {
        "network": network,
        "size": size,
        "logo_class": f"network-badge network-badge--logo network-badge--{size}",
        "initials": initials,
        "colour": colour,
    }
