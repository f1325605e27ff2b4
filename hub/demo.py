"""Demo content for the hub itself. Idempotent: what exists is left as it is."""

from functools import cache
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify
from wagtail.models import Site

from .models import ContentPage, HomePage, SiteSettings, Topic

TOPICS = [
    (
        "IAPT and talking therapies",
        "The Improving Access to Psychological Therapies programme, "
        "now NHS Talking Therapies, and what it has done to therapy.",
    ),
    (
        "Workforce, pay and conditions",
        "Caseloads, pay, contracts, burnout and the right to organise.",
    ),
    ("Benefits and welfare", "Conditionality, sanctions, and therapy tied to employment outcomes."),
    ("Service-user voice", "People who use services shaping them, not consulted after the fact."),
    ("Recovery and outcomes", "Recovery-rate targets, outcome measures and what they hide."),
    ("Equality and anti-racism", "Who is detained, who is heard, who is turned away."),
    (
        "Children and young people",
        "CAMHS waiting lists, schools and transitions to adult services.",
    ),
    ("Crisis care", "Crisis lines, A&E waits, crisis houses and alternatives to admission."),
    ("Community services", "Community mental-health teams, day centres and peer spaces."),
    ("Counselling and psychotherapy", "Relational and long-term therapy, training and regulation."),
    (
        "Privatisation and outsourcing",
        "Contracts, digital providers and profit in NHS mental health.",
    ),
    ("Data and privacy", "Clinical records, data sharing and surveillance in care."),
]

ABOUT = [
    (
        "paragraph",
        "<p>Free Association is the organising hub of a coalition of mental-health "
        "networks: service-user groups, counsellors' and psychotherapists' alliances, trade "
        "unions, "
        "professional and peer networks. Networks publish their positions and events here and "
        "co-sign a shared platform of demands.</p>",
    ),
    ("heading", {"text": "Open to new networks", "level": "h2"}),
    (
        "paragraph",
        "<p>Any network can ask to join. Hub moderators look at every application "
        "quickly and say why if they turn one down.</p>",
    ),
    (
        "quote",
        {
            "quote": "Workers and the people who use services, side by side.",
            "attribution": "From the coalition's founding statement",
        },
    ),
]

HOW_WE_COUNT = [
    (
        "paragraph",
        "<p>Every number on this site counts confirmed, unique people or networks. "
        "We never round up and never add estimates.</p>",
    ),
    ("heading", {"text": "People", "level": "h2"}),
    (
        "paragraph",
        "<p>A signature counts once the owner of its email address has confirmed it from the "
        "link we email them. Anyone can type an address into the form, so the name we show (only "
        "if they chose that), their network and their other answers are the ones they confirm. "
        "One email address signs a demand once, however often it is submitted; we compare "
        "addresses in a canonical form, so capitals, surrounding spaces and <code>+tags</code> do "
        "not make a second signature.</p>",
    ),
    ("heading", {"text": "Networks", "level": "h2"}),
    (
        "paragraph",
        "<p>A network appears once on each demand it co-signs, and only after hub "
        "moderators have approved the network itself.</p>",
    ),
]

PRIVACY = [
    (
        "paragraph",
        "<p>We show a signer's name only if they chose that, and we never show or "
        "export anyone's email address without their consent. You can withdraw a signature from "
        "the link in any email we send you, and delete your account at any time.</p>",
    ),
    ("heading", {"text": "Email", "level": "h2"}),
    (
        "paragraph",
        "<p>We email you to confirm what you asked for, and digests only if you "
        "choose them. Every digest carries a one-click unsubscribe.</p>",
    ),
]

# The front door, each section with its defaults; the campaigns seeder chooses the demand.
HOME_SECTIONS = [
    ("featured_demand", {}),
    ("upcoming_events", {}),
    ("networks", {}),
    ("latest_positions", {}),
    ("open_pledges", {}),
]

PAGES = [
    ("About", "about", "Who we are and how the coalition works.", ABOUT, True),
    (
        "How we count",
        "how-we-count",
        "Exactly what every number on this site means.",
        HOW_WE_COUNT,
        True,
    ),
    ("Privacy", "privacy", "What we keep about you, and what we never show.", PRIVACY, False),
]


# Hashing a password takes half a second, by design: the demo's people share one password, and
# so one hash.
password_hash = cache(make_password)


def demo_person(email: str, *, password: str | None = None, **defaults):
    """A verified demo account, created once; its password is set only when it is created."""
    user, created = get_user_model().objects.get_or_create(email=email, defaults=defaults)
    if created:
        user.password = password_hash(password or settings.DEMO_ADMIN_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def demo_index(model, *, title: str, slug: str, intro: str):
    """A section's index page under home, in the menu, made and published once."""
    index = model.objects.first()
    if index is None:
        index = model(title=title, slug=slug, intro=intro, show_in_menus=True)
        HomePage.objects.get().add_child(instance=index)
        index.save_revision().publish()
    return index


def seed_admin(*, email: str, password: str):
    return demo_person(
        email, password=password, is_staff=True, is_superuser=True, first_name="Demo"
    )


def seed_hub() -> dict[str, int]:
    for name, description in TOPICS:
        Topic.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )

    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's first site: give it the demo's own address, so that the API's and the
        # admin's links to pages lead to where the demo runs.
        address = urlsplit(settings.BASE_URL)
        site.hostname = address.hostname
        site.port = address.port or {"https": 443}.get(address.scheme, 80)
        site.save(update_fields=["hostname", "port"])
    site_settings = SiteSettings.for_site(site)
    if not site_settings.contact_email:
        site_settings.contact_email = "hello@free-association.example"
        site_settings.social_links = [
            ("link", {"platform": "mastodon", "url": "https://social.example/@freeassociation"}),
        ]
        site_settings.save()

    home = HomePage.objects.get()
    if not home.heading or not home.body:
        home.heading = home.heading or "Mental-health networks, organising together"
        home.intro = home.intro or (
            "<p>Find a meeting near you, follow the networks you trust, and co-sign the "
            "coalition's demands.</p>"
        )
        home.body = home.body or HOME_SECTIONS
        home.save_revision().publish()

    for title, slug, intro, body, in_menu in PAGES:
        if not home.get_children().filter(slug=slug).exists():
            page = ContentPage(
                title=title, slug=slug, intro=intro, body=body, show_in_menus=in_menu
            )
            home.add_child(instance=page)
            page.save_revision().publish()

    return {
        "topics": Topic.objects.count(),
        "content pages": ContentPage.objects.live().count(),
    }
