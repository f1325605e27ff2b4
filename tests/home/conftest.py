from hub.models import HomePage


def publish_home_sections(
    *, demand=None, events=3, networks=12, positions=3, pledges=3
) -> HomePage:
    """The home page with every section, as the demo makes it, the featured demand `demand`."""
    home = HomePage.objects.get()
    home.body = [
        ("featured_demand", {"demand": demand}),
        ("upcoming_events", {"count": events}),
        ("networks", {"count": networks}),
        ("latest_positions", {"count": positions}),
        ("open_pledges", {"count": pledges}),
    ]
    home.save_revision().publish()
    return home
