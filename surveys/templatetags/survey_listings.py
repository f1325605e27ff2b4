from django import template

from surveys import listings

register = template.Library()


@register.simple_tag
def survey_listings() -> dict:
    """The open surveys, the published results and the pooled results, for /surveys/: a few
    queries however many there are."""
    surveys = listings.public_surveys()
    return {
        "open": list(listings.open_surveys(surveys)),
        "results": list(listings.published_results(surveys)),
        "pooled": list(listings.pooled_results()),
    }
