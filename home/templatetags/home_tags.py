"""The home page's sections, for the templates of the blocks in hub.blocks."""

from django import template

from home import selectors

register = template.Library()


@register.simple_tag
def home_featured_demand(chosen):
    return selectors.featured_demand(chosen=chosen)


@register.simple_tag
def home_upcoming_events(count):
    return {
        "events": selectors.upcoming_events(count=count),
        "form": selectors.event_search_form(),
        "urls": selectors.listing_urls(),
    }


@register.simple_tag
def home_networks(count):
    return {**selectors.networks_overview(count=count), "urls": selectors.listing_urls()}


@register.simple_tag
def home_latest_positions(count):
    return {
        "positions": selectors.latest_positions(count=count),
        "urls": selectors.listing_urls(),
    }


@register.simple_tag
def home_open_pledges(count):
    return selectors.pledges_to_join(count=count)
