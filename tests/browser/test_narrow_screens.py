"""Nothing sticks out sideways on a 320-px-wide phone, on any public page.

Every Wagtail page type, every route of the routable ones and every Django route that answers a
visitor or a member with a page is loaded 320 px wide, with content that pushes at the edges (a
Welsh place name, a long address, a long link, a wide picture, a platform of many demands), then
again with every disclosure open; the forms that lead to a page of their own are sent too.

How the list stays complete: `test_every_page_type_and_route_is_visited` walks Wagtail's page
types, the routes of the routable ones and Django's URL resolver (as tests/test_csrf.py does), so a
new one fails it until it is visited below or listed in NOT_PAGES with the reason it is no page.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    get_page_models,
)

from campaigns import services as campaign_services
from campaigns.factories import DemandPageFactory, PlatformPageFactory, SignatureFactory
from campaigns.models import DemandVersion, NetworkCoSignature
from deliberation import services as deliberation
from deliberation.models import Decision, DecisionKind, Threshold, VoteChoice
from digests import services as digest_services
from digests.factories import MemberPreferencesFactory, SubscriberFactory
from digests.models import DigestFrequency
from events.factories import (
    CoOrganiserInvitationFactory,
    EventIndexPageFactory,
    EventPageFactory,
    RsvpFactory,
)
from events.models import CoOrganiserStatus, EventFormat, RsvpStatus
from hub.factories import ContentPageFactory, ImageFactory, TopicFactory, UserFactory
from hub.models import HomePage, Region
from networks import services as network_services
from networks.factories import (
    MembershipFactory,
    NetworkIndexPageFactory,
    NetworkPageFactory,
    PositionPageFactory,
)
from networks.models import Invitation, MembershipRole, NetworkKind
from pledges import links as pledge_links
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import PledgeStatus
from surveys.factories import (
    PooledResultsPageFactory,
    ResponseFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.models import PooledSurvey
from targets.factories import DeliveryFactory, TargetFactory, TargetResponseFactory
from tests.home.conftest import publish_home_sections
from tests.surveys.conftest import add_questions
from tests.surveys.results_seed import closed_survey, questions, typical
from tests.test_csrf import public_routes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 640}
# A real village, and so a real network's name, an event's town and a word no line can break.
PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
LONG_EMAIL = "gwenllian.featherstonehaugh-ap-rhys@llanfairpwllgwyngyll-peer-support.example"
LONG_URL = (
    "https://www.england.nhs.uk/publication/improving-access-to-psychological-therapies-"
    "outcomes-framework-technical-guidance-2025-26/"
)
TEXT = (
    f'<p>The evaluation is at {LONG_URL}, and the <a href="{LONG_URL}">{LONG_URL}</a> is the '
    f"same. We meet in {PLACE}, whose name does not break.</p>"
)
PASSWORD = "a-long-and-unusual-passphrase"

# What is no page, or no page of its own, with the reason: Django routes as the resolver spells
# them, and the routes of routable page types as `PageType.route_name`.
NOT_PAGES = {
    "sitemap.xml": "XML for search engines",
    "robots.txt": "plain text",
    r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|csv|svg|png))$": "iCalendar, CSV and charts",
    "event-links/event-<int:pk>.ics": "iCalendar",
    "event-links/networks/<slug:slug>.ics": "iCalendar",
    "event-links/rsvp/<str:token>/event.ics": "iCalendar",
    "signatures/networks/<int:network_id>/signers.csv": "CSV",
    r"^media/(?P<folder>images|original_images)/(?P<path>.*)$": "images",
    r"documents/^(\d+)/(.*)$": "documents",
    "account/digest/": "takes a POST and goes back to the member's home",
    "pledges/<slug:slug>/pledge-as-member/": "takes a POST and goes back to the pledge",
    "account/rsvps/<int:rsvp_id>/cancel/": "takes a POST and goes back to the member's home",
    "account/rsvps/<int:rsvp_id>/take/": "takes a POST and goes back to the member's home",
    "account/signatures/<int:signature_id>/withdraw/": "takes a POST and goes back home",
    "preferences/follow/network/<int:network_id>/": "takes a POST and goes back",
    "preferences/follow/topic/<int:topic_id>/": "takes a POST and goes back",
    # Without a code asked for, these send the visitor to the page that asks for one.
    "accounts/reauthenticate/code/confirm/": "goes to the page that sends a code",
    "accounts/login/code/confirm/": "goes to the sign-in page",
    r"^((?:[\w\-]+/)*)$": "Wagtail's pages: visited by page type and route",
    r"^((?:[\w\-]+/)*[\w\-.]*:[\w\-.:]*/)$": "Wagtail's routes with a signed token: by route",
    "NetworkIndexPage.feed": "RSS",
    "NetworkPage.network_feed": "RSS",
    "EventIndexPage.finder_feed": "iCalendar",
    "NetworkPage.invite": "takes a POST and goes back to the members page",
    "NetworkPage.member_role": "takes a POST and goes back to the members page",
    "NetworkPage.member_remove": "takes a POST and goes back to the members page",
    "PlatformPage.cosign": "takes a POST and goes back to the platform",
    "DemandPage.sign_as_member": "takes a POST and goes back to the demand",
    "DemandPage.withdraw_as_member": "takes a POST and goes back to the demand",
    "DemandPage.cosign": "takes a POST and goes back to the demand",
    "DemandPage.counts": "JSON",
    "SurveyPage.results_csv": "CSV",
    "SurveyPage.results_chart": "SVG or PNG",
    "PooledResultsPage.results_csv": "CSV",
    "PooledResultsPage.results_chart": "SVG or PNG",
    "DemandPage.confirm_version": "takes a POST and goes back to the demand",
    "preferences/follow/demand/<int:demand_id>/": "takes a POST and goes back",
    "amendments/<int:pk>/support/": "takes a POST and goes back to the amendment",
    "amendments/<int:pk>/comment/": "takes a POST and goes back to the amendment",
    "amendments/<int:pk>/withdraw/": "takes a POST and goes back to the amendment",
    "amendments/decisions/<int:pk>/vote/": "takes a POST and goes back to the decision",
}
# Those of NOT_PAGES that answer a GET, with what they answer.
NOT_PAGES_ANSWER = {
    "accounts/reauthenticate/code/confirm/": 302,
    "accounts/login/code/confirm/": 302,
}


@dataclass
class Visit:
    covers: str  # the route as the resolver spells it, `PageType` or `PageType.route_name`
    url: str
    who: str = "visitor"  # or "member" (who runs a network) or "newcomer" (with no password)
    status: int = 200
    shows: str = "main"  # what must be on the page, so that it is the page meant
    fill: dict = field(default_factory=dict)  # then these fields (True ticks a box) ...
    submit: str = ""  # ... and this button, and the page it leads to is checked too


def token_visit(covers: str, url_name: str, token: str, **options) -> Visit:
    """A page an emailed link opens: `url_name`'s route with the link's token."""
    return Visit(covers, reverse(url_name, args=[token]), **options)


def amendments(*, demand, network, admin, other) -> SimpleNamespace:
    """Two versions of `demand`, an amendment carried by a closed decision (the third version),
    and one being decided, with support and a comment."""
    DemandVersion.objects.get_or_create(
        demand=demand, number=1, defaults={"ask": demand.ask, "agreed_by": "First published"}
    )
    campaign_services.demand_version_publish(
        demand=demand, ask=f"Hold an inquiry now, as {LONG_URL} asks.", case_text=None,
        agreed_by=f"Changed at the coalition's meeting in {PLACE}",
    )  # fmt: skip
    other_admin = MembershipFactory(network=other, role=MembershipRole.ADMIN).user
    moderator = UserFactory(email=f"moderator.{LONG_EMAIL}")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    plain = f"We meet in {PLACE}, and the evaluation is at {LONG_URL}."

    def propose(ask):
        return deliberation.amendment_propose(
            demand=demand, network=network, user=admin, ask=ask, case=plain, reason=LONG_URL
        )

    carried = propose(f"Hold a public inquiry within a year, in {PLACE} too.")
    closed = deliberation.decision_open(
        kind=DecisionKind.AMENDMENT, demand=demand, amendment=carried, quorum=50,
        threshold=Threshold.MAJORITY, user=moderator, deadline=timezone.now() + dt.timedelta(1),
    )  # fmt: skip
    for voter, who in ((network, admin), (other, other_admin)):
        deliberation.vote_cast(decision=closed, network=voter, user=who, choice=VoteChoice.FOR)
    Decision.objects.filter(pk=closed.pk).update(deadline=timezone.now() - dt.timedelta(1))
    deliberation.decision_close(decision=Decision.objects.get(pk=closed.pk))
    demand.refresh_from_db()

    deciding = propose(f"Hold a public inquiry, led by people from {PLACE}.")
    deliberation.amendment_support(amendment=deciding, network=other, user=other_admin)
    deliberation.amendment_comment(amendment=deciding, network=other, user=other_admin, body=plain)
    open_decision = deliberation.decision_open(
        kind=DecisionKind.AMENDMENT, demand=demand, amendment=deciding, quorum=50,
        threshold=Threshold.CONSENSUS, user=moderator, deadline=timezone.now() + dt.timedelta(7),
    )  # fmt: skip
    return SimpleNamespace(carried=carried, closed=closed, deciding=deciding, open=open_decision)


def build() -> SimpleNamespace:
    """A site with one of everything, written to push at the right edge of a small screen."""
    home = HomePage.objects.get()
    region = Region.objects.get(slug="wales")
    topic = TopicFactory(name="Psychological therapies and their outcomes")
    picture = ImageFactory(title="A workers' cafe", file__width=1600, file__height=500)
    stream = [
        ("heading", {"text": f"Why {PLACE} matters", "level": "h2"}),
        ("paragraph", TEXT),
        ("quote", {"quote": f"We are {PLACE}.", "attribution": LONG_EMAIL}),
        ("figure", {"image": picture, "alt_text": "People at a cafe", "caption": LONG_URL}),
        (
            "call_to_action",
            {
                "title": f"Come to {PLACE}",
                "text": LONG_URL,
                "link_text": "Find out more",
                "link": {"external_url": LONG_URL},
            },
        ),
    ]
    privacy = ContentPageFactory(parent=home, slug="privacy", title="Privacy", body=stream)
    ContentPageFactory(parent=home, slug="how-we-count", title="How we count", body=stream)
    private = ContentPageFactory(parent=home, slug="committee", title="For the committee")
    page_restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="open sesame"
    )
    collection = Collection.get_first_root_node().add_child(name="Committee papers")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="open sesame",
    )

    directory = NetworkIndexPageFactory(parent=home, show_in_menus=True, intro=TEXT)
    network = NetworkPageFactory(
        parent=directory,
        title=f"{PLACE} Hearing Voices Group",
        kind=NetworkKind.SERVICE_USER,
        strapline=f"Peer support in {PLACE}",
        description=TEXT,
        logo=ImageFactory(title="Logo", file__width=800, file__height=800),
        website=LONG_URL,
        public_contact_email=LONG_EMAIL,
        regions=[region],
        topics=[topic],
    )
    others = [
        NetworkPageFactory(parent=directory, title=f"Psychotherapists and Counsellors {n}")
        for n in range(3)
    ]
    position = PositionPageFactory(
        parent=network,
        title=f"On therapy in {PLACE}",
        summary=LONG_URL,
        body=stream,
        topics=[topic],
    )

    finder = EventIndexPageFactory(parent=home, show_in_menus=True, intro=TEXT)
    start = timezone.now() + dt.timedelta(days=3)
    event = EventPageFactory(
        parent=network,
        title=f"Workers' cafe in {PLACE}",
        venue=f"{PLACE} Community Centre",
        address=f"Unit 1, {PLACE} Industrial Estate\n{LONG_EMAIL}",
        town=PLACE,
        postcode="LL61 5UJ",
        region=region,
        format=EventFormat.HYBRID,
        online_url=LONG_URL,
        online_url_public=True,
        cost=f"Pay what you can: {PLACE}",
        accessibility=f"Step-free access from {PLACE} station. Ask {LONG_EMAIL}.",
        in_person_capacity=30,
        start=start,
        description=stream,
        organising_network=network,
        topics=[topic],
    )
    EventPageFactory(parent=finder, title=f"Past debate in {PLACE}", start=start - dt.timedelta(30))

    platform = PlatformPageFactory(title=f"The {PLACE} platform", intro=LONG_URL, body=stream)
    demands_index = platform.get_parent()
    senedd = TargetFactory(name=f"The Senedd's health committee, {LONG_EMAIL}", slug="senedd")
    demands = [
        DemandPageFactory(
            parent=platform,
            title=f"Demand {n}: an independent inquiry into {PLACE}'s services",
            ask=f"Hold an inquiry, as {LONG_URL} asks.",
            targets=[senedd],
            case=stream,
            proposing_networks=[network],
            topics=[topic],
        )
        for n in range(6)
    ]
    demand = demands[0]
    delivered = DeliveryFactory(
        demand=demand, target=senedd, signature_count=12345, note=LONG_URL, days_overdue=3,
        response_due=timezone.localdate() - dt.timedelta(days=5),
    )  # fmt: skip
    delivered.networks.set([network, *others])
    TargetResponseFactory(delivery=DeliveryFactory(demand=demands[1], target=senedd), text=TEXT)
    for each in (network, *others):
        for cosigned in demands[::2]:
            NetworkCoSignature.objects.create(network=each, demand=cosigned, statement=LONG_URL)
    SignatureFactory.create_batch(3, demand=demand, name=PLACE, show_name=True)
    publish_home_sections(demand=demand)

    member = UserFactory(email=LONG_EMAIL, first_name="Gwenllian", last_name=PLACE)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    MembershipFactory(network=network, user=member, role=MembershipRole.ADMIN)
    amending = amendments(demand=demand, network=network, admin=member, other=others[1])
    MembershipFactory(network=others[0], user=member, role=MembershipRole.EDITOR)
    preferences = MemberPreferencesFactory(user=member, digest_frequency=DigestFrequency.OFF)
    preferences.networks.add(network)
    preferences.topics.add(topic)
    RsvpFactory(event=event, user=member, email=member.email)
    SignatureFactory(demand=demands[1], user=member, email=member.email)
    network_services.network_application_create(
        applicant=member,
        name=f"{PLACE} Carers' Circle",
        kind=NetworkKind.PEER_SUPPORT,
        description=TEXT,
    )
    invitation = Invitation.objects.create(
        network=network, email=f"another.{LONG_EMAIL}", role=MembershipRole.EDITOR
    )
    co_organising = CoOrganiserInvitationFactory(
        event=EventPageFactory(parent=others[1], title=f"A retreat near {PLACE}"),
        network=network,
        status=CoOrganiserStatus.PENDING,
    )

    newcomer = UserFactory(email=f"new.{LONG_EMAIL}")
    newcomer.set_unusable_password()
    newcomer.save()
    unverified = EmailAddress.objects.create(user=newcomer, email=newcomer.email, primary=True)

    signing = SignatureFactory(demand=demand, email=f"signing.{LONG_EMAIL}", confirmed_at=None)
    signed = SignatureFactory(demand=demand, email=f"signed.{LONG_EMAIL}")
    pending_rsvp = RsvpFactory(
        event=event, email=f"pending.{LONG_EMAIL}", status=RsvpStatus.PENDING
    )
    going_rsvp = RsvpFactory(event=event, email=f"going.{LONG_EMAIL}")
    offered_rsvp = RsvpFactory(
        event=event, email=f"offered.{LONG_EMAIL}", name=PLACE, status=RsvpStatus.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=40),
    )  # fmt: skip
    subscriber = SubscriberFactory(email=f"subscriber.{LONG_EMAIL}", confirmed_at=None)
    pledge = PledgeFactory(
        action=f"refuse to run groups of more than twelve in {PLACE}", slug="groups-of-twelve",
        network=network, details=TEXT, next_steps=LONG_URL, threshold=50,
    )  # fmt: skip
    pledge.topics.set([topic])
    PledgerFactory.create_batch(3, pledge=pledge, name=PLACE, show_name=True)
    pledging = PledgerFactory(pledge=pledge, email=f"pledging.{LONG_EMAIL}", confirmed_at=None)
    bound = PledgeFactory(
        action=f"meet in {PLACE} once it binds", slug="meet-once-bound", threshold=2,
        status=PledgeStatus.BOUND, bound_at=timezone.now(), allow_contact=True,
    )  # fmt: skip
    pledged = PledgerFactory(pledge=bound, email=f"pledged.{LONG_EMAIL}", contactable=True)
    PledgerFactory(pledge=bound, contactable=True)
    PledgeFactory(action=f"propose in {PLACE}", status=PledgeStatus.PENDING, created_by=member)
    answered = ResponseFactory(
        survey=SurveyPageFactory(title=f"Waiting for therapy in {PLACE}", needs_account=True),
        user=member,
    )
    open_survey = SurveyPageFactory(
        parent=network, title=f"Caseloads in {PLACE}", intro=TEXT, data_holder=PLACE
    )
    add_questions(open_survey)
    SurveyQuestionFactory(
        page=open_survey, prompt=f"Which clinic in {PLACE}?", choices=f"{PLACE}\nElsewhere"
    )
    results_survey = closed_survey(parent=network, title=f"Unpaid work in {PLACE}", min_cell_size=5)
    typical(results_survey, questions(results_survey))
    shared_survey = closed_survey(title=f"Unpaid work beyond {PLACE}", min_cell_size=5)
    typical(shared_survey, questions(shared_survey))
    pooled = PooledResultsPageFactory(title=f"Pooled across {PLACE}")
    for n, pooled_survey in enumerate([results_survey, shared_survey]):
        PooledSurvey.objects.create(page=pooled, survey=pooled_survey, sort_order=n)
    return SimpleNamespace(**locals())


def visits(site) -> list[Visit]:
    """Every page to look at, as whom, and what it should answer."""
    s = site
    member_token = network_services.invitation_token(s.invitation)
    reset_key = default_token_generator.make_token(s.member)
    filters = f"?when=this-month&format=hybrid&region=wales&topic={s.topic.slug}&q=cafe"
    return [
        Visit("HomePage", "/", shows=".home-demand"),
        Visit("ContentPage", s.privacy.url, shows=".block-figure"),
        Visit("ContentPage", s.private.url, shows="form"),
        Visit("NetworkIndexPage.index_route", s.directory.url, shows=".network-card"),
        Visit("NetworkIndexPage.index_route", f"{s.directory.url}?region=wales&query=Hearing"),
        Visit("NetworkIndexPage.apply", f"{s.directory.url}apply/", who="member"),
        Visit("NetworkIndexPage.apply", f"{s.directory.url}apply/?another", who="member"),
        Visit("NetworkIndexPage.positions", f"{s.directory.url}positions/", shows=".position-item"),
        Visit(
            "NetworkIndexPage.invitation",
            f"{s.directory.url}invitations/{member_token}/",
            who="member",
        ),
        Visit("NetworkPage.index_route", s.network.url, shows=".network__head"),
        Visit("NetworkPage.index_route", s.network.url, who="member", shows=".follow-form"),
        Visit("NetworkPage.members", f"{s.network.url}members/", who="member", shows="table"),
        Visit("NetworkPage.members", f"{s.network.url}members/", who="newcomer", status=403),
        Visit("NetworkPage.leave", f"{s.network.url}leave/", who="member"),
        Visit("PositionPage", s.position.url, shows=".block-figure"),
        Visit("EventIndexPage.index", s.finder.url, shows=".event-item"),
        Visit("EventIndexPage.index", s.finder.url + filters, shows=".event-item"),
        Visit("EventIndexPage.index", f"{s.finder.url}?when=past", shows=".event-item"),
        Visit("EventPage", s.event.url, shows=".event-box"),
        Visit("EventPage", s.event.url, who="member", shows=".event-box"),
        Visit(
            "event-links/<int:pk>/rsvp/",
            s.event.url,
            fill={
                ".event__aside input[name=name]": PLACE,
                ".event__aside input[name=email]": LONG_EMAIL,
                ".event__aside input[name=attendance][value=online]": True,
            },
            submit=".event__aside button[type=submit]",
        ),
        Visit("DemandIndexPage", s.demands_index.url, shows=".card"),
        Visit("SurveyIndexPage", s.pooled.get_parent().url, shows=".survey-card"),
        Visit("SurveyPage.index", s.open_survey.url, shows="form fieldset"),
        Visit("SurveyPage.index", s.results_survey.url, shows="main"),
        Visit(
            "SurveyPage.results", f"{s.results_survey.url}results/", shows=".results__figure svg"
        ),
        Visit("PooledResultsPage.index", s.pooled.url, shows="table"),
        Visit("PlatformPage.index", s.platform.url, shows=".cosign-table"),
        Visit("DemandPage.index", s.demand.url, shows=".demand__sign"),
        Visit("DemandPage.index", s.demand.url, who="member", shows=".sign-member"),
        Visit(
            "DemandPage.index",
            s.demand.url,
            fill={
                "form.sign-form input[name=name]": PLACE,
                "form.sign-form input[name=email]": f"new.signer.{LONG_EMAIL}",
                "form.sign-form select[name=kind]": "service-user",
            },
            submit="form.sign-form button[type=submit]",
        ),
        Visit("DemandPage.names", f"{s.demand.url}names/"),
        Visit("DemandPage.history", f"{s.demand.url}history/", shows="ins"),
        Visit("PlatformPage.history", f"{s.platform.url}history/"),
        Visit("amendments/<int:pk>/", f"/amendments/{s.amending.carried.pk}/"),
        Visit("amendments/<int:pk>/", f"/amendments/{s.amending.deciding.pk}/", who="member"),
        Visit("amendments/decisions/<int:pk>/", f"/amendments/decisions/{s.amending.closed.pk}/"),
        Visit(
            "amendments/decisions/<int:pk>/",
            f"/amendments/decisions/{s.amending.open.pk}/",
            who="member",
            shows="form",
        ),
        Visit(
            "amendments/propose/<int:demand_id>/",
            f"/amendments/propose/{s.demand.pk}/",
            who="member",
            shows="form",
        ),  # fmt: skip
        Visit("search/", f"/search/?query={PLACE}", shows=".search-result"),
        Visit("topics/", "/topics/", shows=".card"),
        Visit("topics/<slug:slug>/", s.topic.get_absolute_url()),
        Visit("pledges/", "/pledges/"),
        Visit("pledges/<slug:slug>/", s.pledge.get_absolute_url(), shows="form"),
        Visit("pledges/<slug:slug>/", s.bound.get_absolute_url()),
        Visit("pledges/new/", "/pledges/new/", who="member", shows="form"),
        Visit("pledges/yours/", "/pledges/yours/", who="member"),
        token_visit(
            "pledges/confirm/<str:token>/",
            "pledges:pledger_confirm",
            pledge_links.pledger_token(pledger=s.pledging, action="confirm"),
            shows="form",
        ),
        token_visit(
            "pledges/withdraw/<str:token>/",
            "pledges:pledger_withdraw",
            pledge_links.pledger_token(pledger=s.pledged, action="withdraw"),
        ),
        token_visit(
            "pledges/write/<str:token>/",
            "pledges:pledger_contact",
            pledge_links.pledger_token(pledger=s.pledged, action="contact"),
            shows="form",
        ),
        Visit("targets/", "/targets/", shows=".card"),
        Visit("targets/<slug:slug>/", s.senedd.get_absolute_url(), shows=".target__record"),
        Visit("preferences/", "/preferences/", who="member"),
        Visit("preferences/subscribe/", "/preferences/subscribe/"),
        Visit(
            "preferences/subscribe/",
            "/preferences/subscribe/",
            fill={
                "main input[name=email]": f"reader.{LONG_EMAIL}",
                f"main input[name=regions][value='{s.region.pk}']": True,
            },
            submit="main form button[type=submit]",
        ),
        token_visit(
            "preferences/subscribe/confirm/<str:token>/",
            "digests:subscriber_confirm",
            digest_services.subscriber_token(subscription=s.subscriber),
            submit="main form button[type=submit]",
        ),
        token_visit(
            "preferences/unsubscribe/<str:token>/",
            "digests:digest_unsubscribe",
            digest_services.unsubscribe_token(preferences_id=s.preferences.pk),
            submit="main form button[type=submit]",
        ),
        Visit("account/", "/account/", who="member", shows=".member-home__section"),
        Visit(
            "account/surveys/<int:response_id>/delete/",
            reverse("surveys:response_delete", args=[s.answered.pk]),
            who="member",
            shows="main form",
        ),
        token_visit(
            "signatures/confirm/<str:token>/",
            "campaigns:signature_confirm",
            campaign_services.signature_token(signature=s.signing, action="confirm"),
            submit="main form button[type=submit]",
        ),
        token_visit(
            "signatures/confirm/<str:token>/",
            "campaigns:signature_confirm",
            campaign_services.signature_token(signature=s.signed, action="confirm"),
            shows=".share__links",
        ),
        token_visit(
            "signatures/withdraw/<str:token>/",
            "campaigns:signature_withdraw",
            campaign_services.signature_token(signature=s.signed, action="withdraw"),
            submit="main form button[type=submit]",
        ),
        token_visit(
            "event-links/rsvp/<str:token>/confirm/",
            "events:rsvp_confirm",
            s.pending_rsvp.token,
            submit="main form button[type=submit]",
        ),
        token_visit(
            "event-links/rsvp/<str:token>/cancel/",
            "events:rsvp_cancel",
            s.going_rsvp.token,
            submit="main form button[type=submit]",
        ),
        token_visit(
            "event-links/rsvp/<str:token>/take/",
            "events:rsvp_take",
            s.offered_rsvp.token,
            submit="main form button[type=submit]",
        ),
        Visit(
            "event-links/co-organising/<int:pk>/",
            reverse("events:co_organiser_invitation", args=[s.co_organising.pk]),
            who="member",
        ),
        Visit("accounts/login/", "/accounts/login/"),
        Visit("accounts/signup/", "/accounts/signup/"),
        Visit("accounts/logout/", "/accounts/logout/", who="member"),
        Visit("accounts/inactive/", "/accounts/inactive/"),
        Visit("accounts/reauthenticate/", "/accounts/reauthenticate/", who="member"),
        Visit("accounts/reauthenticate/code/", "/accounts/reauthenticate/code/", who="member"),
        Visit("accounts/email/", "/accounts/email/", who="member"),
        Visit("accounts/confirm-email/", "/accounts/confirm-email/"),
        Visit(
            r"accounts/^confirm-email/(?P<key>[-:\w]+)/$",
            reverse("account_confirm_email", args=[EmailConfirmationHMAC(s.unverified).key]),
        ),
        Visit("accounts/password/change/", "/accounts/password/change/", who="member"),
        Visit("accounts/password/set/", "/accounts/password/set/", who="newcomer"),
        Visit("accounts/password/reset/", "/accounts/password/reset/"),
        Visit("accounts/password/reset/done/", "/accounts/password/reset/done/"),
        Visit(
            r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(s.member), "key": reset_key},
            ),
            shows="input[name=password1]",
        ),
        Visit("accounts/password/reset/key/done/", "/accounts/password/reset/key/done/"),
        Visit(
            "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
            f"/_util/authenticate_with_password/{s.page_restriction.pk}/{s.private.pk}/",
            shows="form",
        ),
        Visit(
            "documents/authenticate_with_password/<int:restriction_id>/",
            f"/documents/authenticate_with_password/{s.collection_restriction.pk}/",
            shows="form",
        ),
        Visit("_util/login/", "/_util/login/", shows="form"),
        Visit("404", f"/{PLACE.lower()}/", status=404),
    ]


# How wide the page is, and the outermost elements whose box, or whose text, reaches past the
# right edge of the screen, each named by a selector of up to four steps (fewer from an id).
# Text clipped by an ancestor (visually hidden, or in a box that scrolls) shows nowhere; a box
# that scrolls sideways is itself reported by its contents' boxes.
OVERFLOW = """() => {
  const edge = window.innerWidth;
  const name = (element) => {
    const steps = [];
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      steps.unshift(node.localName + (node.id ? `#${node.id}` : "")
        + [...node.classList].map((each) => `.${each}`).join(""));
      if (node.id || steps.length === 4) break;
    }
    return steps.join(" > ");
  };
  const clipped = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return true;
    }
    return false;
  };
  const past = new Map();
  for (const element of document.body.querySelectorAll("*")) {
    if (!element.checkVisibility()) continue;
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > edge + 0.5) past.set(element, `${name(element)} reaches`);
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    const parent = text.parentElement;
    if (!text.data.trim() || past.has(parent) || !parent.checkVisibility()) continue;
    range.selectNodeContents(text);
    const box = range.getBoundingClientRect();
    if (box.width > 0 && box.right > edge + 0.5 && !clipped(parent)) {
      past.set(parent, `the text of ${name(parent)} reaches`);
    }
  }
  const rightmost = (element) => Math.max(
    element.getBoundingClientRect().right,
    ...[...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => {
      range.selectNodeContents(node);
      return range.getBoundingClientRect().right;
    }),
  );
  const outermost = [...past.keys()].filter(
    (element) => ![...past.keys()].some((other) => other !== element && other.contains(element)),
  );
  return {
    width: document.documentElement.scrollWidth,
    edge,
    past: outermost.map((element) => `${past.get(element)} ${Math.round(rightmost(element))} px`),
  };
}"""
OPEN_DISCLOSURES = "document.querySelectorAll('details').forEach((each) => { each.open = true; })"


def overflow(page) -> list[str]:
    """What sticks out past the right edge of the screen, in words; nothing if all fits."""
    found = page.evaluate(OVERFLOW)
    wide = [f"the page is {found['width']} px wide"] if found["width"] > found["edge"] else []
    return wide + found["past"][:10]


def look(page, visit) -> list[str]:
    problems = [] if page.locator(visit.shows).count() else [f"shows no {visit.shows}"]
    problems += overflow(page)
    page.evaluate(OPEN_DISCLOSURES)
    problems += [
        f"{problem}, disclosures open" for problem in overflow(page) if problem not in problems
    ]
    return problems


def fill(page, fields: dict) -> None:
    for selector, value in fields.items():
        field = page.locator(selector)
        if value is True:
            field.check()
        elif field.evaluate("(element) => element.localName") == "select":
            field.select_option(value)
        else:
            field.fill(value)


def signed_in_page(browser, live_server, user):
    context = browser.new_context(viewport=NARROW)
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
        context.add_cookies([cookie])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def check(page, base_url: str, visit: Visit) -> list[str]:
    """What is wrong with the visit's page, and the page its form leads to, a line for each."""
    where = f"{visit.covers} as {visit.who} at {visit.url}"
    response = page.goto(base_url + visit.url)
    if response.status != visit.status:
        return [f"{where}: answered {response.status}, not {visit.status}"]
    found = [f"{where}: {'; '.join(problems)}"] if (problems := look(page, visit)) else []
    if visit.submit:
        fill(page, visit.fill)
        with page.expect_navigation() as navigation:
            page.locator(visit.submit).click()
        where += f", then {visit.submit}"
        if navigation.value.status >= 400:
            return [*found, f"{where}: answered {navigation.value.status}"]
        if problems := look(page, Visit("", "")):
            found.append(f"{where}: {'; '.join(problems)}")
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_is_wider_than_a_320_px_screen(live_server, browser):
    site = build()
    pages = {
        "visitor": signed_in_page(browser, live_server, None),
        "member": signed_in_page(browser, live_server, site.member),
        "newcomer": signed_in_page(browser, live_server, site.newcomer),
    }
    try:
        failures = [
            problem
            for visit in visits(site)
            for problem in check(pages[visit.who], live_server.url, visit)
        ]
    finally:
        for page in pages.values():
            page.context.close()
    assert not failures, "Wider than 320 px, or not the page meant:\n" + "\n".join(failures)


def page_routes() -> set[str]:
    """Every page type, as `PageType`, or for a routable one each route, as `PageType.name`:
    the first of those with the same pattern, which is the one that answers."""
    routes = set()
    for model in get_page_models():
        if model is Page:
            continue
        if not issubclass(model, RoutablePageMixin):
            routes.add(model.__name__)
            continue
        answering = {}
        for route in model.get_subpage_urls():
            answering.setdefault(str(route.pattern), route.name)
        routes |= {f"{model.__name__}.{name}" for name in answering.values()}
    return routes


@pytest.mark.django_db
def test_every_page_type_and_route_is_visited(client):
    site = build()
    planned = visits(site)
    visited = {visit.covers for visit in planned}
    django_routes = public_routes()
    every = page_routes() | set(django_routes) | {"404"}
    assert every - visited - set(NOT_PAGES) == set(), "visit it, or say in NOT_PAGES why not"
    assert set(NOT_PAGES) - every == set(), "listed in NOT_PAGES, but no longer exists"
    assert visited & set(NOT_PAGES) == set()
    for visit in planned:
        if visit.covers in django_routes and not visit.submit:
            callback = django_routes[visit.covers].callback
            assert resolve(visit.url.partition("?")[0]).func is callback, visit.url
    client.force_login(site.member)
    for route, status in NOT_PAGES_ANSWER.items():
        assert client.get("/" + route).status_code == status, route


@pytest.mark.browser
def test_the_check_names_what_sticks_out(page):
    page.set_viewport_size(NARROW)
    page.set_content("<html><body><main><p>Fits</p></main></body></html>")
    assert overflow(page) == []
    page.set_content(
        f'<html><body><main><p>Fits</p><div class="wide"><span>{PLACE * 3}</span></div>'
        "</main></body></html>"
    )
    wide, past = overflow(page)
    assert wide.startswith("the page is ") and int(wide.split()[3]) > NARROW["width"]
    assert past.startswith("main > div.wide > span reaches ")
