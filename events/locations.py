"""What of an event's whereabouts each reader may see.

Two views, and every place that shows a location asks for one of them: `public_location` for
the public page, cards, search, feeds, "add to calendar" links, the API and JSON-LD;
`attendee_location` for a person holding a confirmed place (their emails, their calendar file,
their account and the event page while they are signed in). A private address leaves the town
and region public; a private joining link leaves nothing of itself.
"""

from dataclasses import dataclass, replace

from .choices import EventFormat

ADDRESS_WITHHELD = "The full address is emailed to people with a place."
ADDRESS_CONFIDENTIAL = "The address is only for people with a place: please keep it to yourself."
LINK_WITHHELD = "The joining link is emailed to people with a confirmed place."


@dataclass(frozen=True)
class Location:
    format: str
    venue: str = ""
    address: str = ""
    town: str = ""
    postcode: str = ""
    region: str = ""
    joining_link: str = ""
    # Something exists that this reader is not shown: said in words, so nobody wonders.
    address_withheld: bool = False
    link_withheld: bool = False
    # A private address, shown to someone with a place, who is asked to keep it so.
    confidential: bool = False

    @property
    def in_person(self) -> bool:
        return self.format != EventFormat.ONLINE

    @property
    def online(self) -> bool:
        return self.format != EventFormat.IN_PERSON

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def area(self) -> str:
        """Town and region, the region left out when it is the town (London)."""
        parts = [self.town] if self.town else []
        if self.region and self.region != self.town:
            parts.append(self.region)
        return ", ".join(parts)

    @property
    def has_place(self) -> bool:
        # A withheld address is still a place: "Where" then says how to learn it.
        shown = self.venue or self.address or self.town or self.postcode
        return self.in_person and bool(shown or self.address_withheld)

    @property
    def place_text(self) -> str:
        if self.address_withheld:
            return self.area
        parts = [self.venue, " ".join(self.address_lines), self.town, self.postcode]
        return ", ".join(part for part in parts if part)

    @property
    def text(self) -> str:
        """One line, as a calendar's LOCATION or an email's "Where"."""
        if self.format == EventFormat.ONLINE:
            return "Online"
        place = self.place_text
        if self.format == EventFormat.HYBRID:
            return f"{place} and online" if place else "Online"
        return place

    @property
    def notes(self) -> list[str]:
        """What this reader is not shown, in words."""
        notes = [ADDRESS_WITHHELD] if self.address_withheld else []
        if self.confidential:
            notes.append(ADDRESS_CONFIDENTIAL)
        if self.link_withheld:
            notes.append(LINK_WITHHELD)
        return notes


def _region_name(event) -> str:
    return event.region.name if event.region_id else ""


def attendee_location(event) -> Location:
    return Location(
        format=event.format,
        venue=event.venue,
        address=event.address,
        town=event.town,
        postcode=event.postcode,
        region=_region_name(event),
        joining_link=event.online_url if event.format != EventFormat.IN_PERSON else "",
        confidential=event.address_private and bool(event.venue or event.address or event.postcode),
    )


def public_location(event) -> Location:
    online = event.format != EventFormat.IN_PERSON and bool(event.online_url)
    link_public = online and event.online_url_public
    hidden = event.address_private
    return Location(
        format=event.format,
        venue="" if hidden else event.venue,
        address="" if hidden else event.address,
        town=event.town,
        postcode="" if hidden else event.postcode,
        region=_region_name(event),
        joining_link=event.online_url if link_public else "",
        address_withheld=hidden and bool(event.venue or event.address or event.postcode),
        link_withheld=online and not link_public,
    )


def reply_location(event, *, address: bool, link: bool) -> Location:
    """A confirmed reply's view: the full address if they come in person, the joining link if
    they join online. At a hybrid event one kind of place does not carry the other's details,
    and nothing is said of what they do not need."""
    full = attendee_location(event)
    if not address:
        public = public_location(event)
        full = replace(full, venue=public.venue, address=public.address,
                       postcode=public.postcode, confidential=False)  # fmt: skip
    return full if link else replace(full, joining_link="")
