import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone


class PositionsFeed(Feed):
    """The newest positions of every network, or of one network; the page routing to the feed
    hands in the positions, with `.network` set on each, and the address it links to."""

    def get_object(self, request, *, network, link, positions):
        self.request = request
        self.link_url = link
        self.positions = positions
        return network

    def title(self, network):
        if network is None:
            return "Positions of the coalition's networks · Free Association"
        return f"Positions of {network.title} · Free Association"

    def link(self, network):
        return self.link_url

    def description(self, network):
        return "Position statements published by the networks of the Free Association coalition."

    def items(self, network):
        return self.positions

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
