"""Reads across relations for the positions listing, the feeds and the members page."""

from .models import Membership, MembershipRole, NetworkPage, PositionPage


def position_list(*, network: NetworkPage | None = None, topic=None):
    positions = PositionPage.objects.for_listing()
    if network is not None:
        positions = positions.child_of(network)
    if topic is not None:
        positions = positions.filter(topics=topic)
    return positions


def positions_with_networks(positions) -> list[PositionPage]:
    """Sets `.network` on each position with one query, however many networks they span."""
    positions = list(positions)
    parent_paths = {position.path[: -PositionPage.steplen] for position in positions}
    networks = {
        network.path: network
        for network in NetworkPage.objects.filter(path__in=parent_paths).only(
            "title", "slug", "url_path", "path", "depth"
        )
    }
    for position in positions:
        position.network = networks.get(position.path[: -PositionPage.steplen])
    return positions


def network_admin_membership(*, network: NetworkPage, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return network.memberships.filter(user=user, role=MembershipRole.ADMIN).first()
