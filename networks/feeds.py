import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from .models import NetworkPage
from .selectors import position_list, positions_with_networks

FEED_LENGTH = 20


class PositionsFeed(Feed):
    """The newest positions of every network, or of one network when the URL names it."""

    def get_object(self, request, network=None):
        self.request = request
        if network is None:
            return None
        return get_object_or_404(NetworkPage.objects.live().public(), slug=network)

    def title(self, network):
        if network is None:
            return "Positions of the coalition's networks · Free Association"
        return f"Positions of {network.title} · Free Association"

    def link(self, network):
        if network is None:
            return reverse("networks:positions")
        return network.get_url(self.request)

    def description(self, network):
        return "Position statements published by the networks of the Free Association coalition."

    def items(self, network):
        return positions_with_networks(position_list(network=network)[:FEED_LENGTH])

    def item_title(self, item):
        return f"{item.title} ({item.network.title})" if item.network else item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        # The listing is ordered by the date the network took the position; so is the feed.
        return datetime.datetime.combine(
            item.date, datetime.time(), tzinfo=timezone.get_current_timezone()
        )

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
