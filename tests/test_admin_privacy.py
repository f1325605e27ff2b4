"""A network editor walks every admin route and finds nobody's personal data but their own
network's: no other network's signers, subscribers, attendees, applicants or survey answers,
and none of their own network's signers who did not agree to share with it.

How the walk stays complete: the routes come from Django's URL resolver (hooks' admin URLs
included), and every argument is filled by its name (`arguments` below), so a new admin route
is walked without being listed, and a route with an argument of a new name fails until
`arguments` says what to fill it with."""

import itertools
import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from wagtail import hooks
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Revision

from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import Signature
from digests.factories import MemberPreferencesFactory, SubscriberFactory
from digests.models import DeliveryStatus, DigestDelivery, DigestRun, MemberPreferences, Subscriber
from events.factories import EventPageFactory, RsvpFactory
from events.models import Rsvp, RsvpStatus
from hub.factories import UserFactory
from hub.models import User
from networks import services as network_services
from networks.factories import PositionPageFactory
from networks.models import (
    ApplicationStatus,
    Invitation,
    Membership,
    MembershipRole,
    NetworkApplication,
    NetworkKind,
)
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.models import Pledge, Pledger, PledgeStatus
from surveys.factories import AnswerFactory, ResponseFactory, SurveyPageFactory
from surveys.models import Answer, RawExportLog, Response
from surveys.questions import QuestionKind

from .networks.conftest import approved_network, verified_user
from .test_csrf import routes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Every seeded person's name and address holds this word, so one search finds them all.
WORD = "quixote"
# Routes' regular expressions without a named group, and what stands in for them.
UNNAMED = {r"\.\.\.": "...", ".*": "anything"}


def person(label: str) -> dict:
    """A distinctive name and address, neither found inside another's."""
    return {"name": f"Quixote {label}", "email": f"{WORD}.{label.lower()}@leak.example"}


def user(label: str) -> User:
    return verified_user(person(label)["email"], first_name="Quixote", last_name=label)


@pytest.fixture
def seeded():
    """Network Alpha's editor (and admin, the widest role a network gives), and personal data
    of every kind: what they may see and what they may not."""
    moderator = UserFactory(is_superuser=True, is_staff=True, first_name="Hub", last_name="Mod")
    editor = verified_user("editor@alpha.example", first_name="Edith", last_name="Alpha")
    alpha = approved_network("Network Alpha", applicant=editor, moderator=moderator)
    beta = approved_network("Network Beta", applicant=user("Betaapplicant"), moderator=moderator)
    beta_editor = user("Betaeditor")
    Membership.objects.create(network=beta, user=beta_editor, role=MembershipRole.EDITOR)
    beta_editor.groups.add(beta.editors_group)
    Invitation.objects.create(
        network=beta, email=person("Betainvitee")["email"], role=MembershipRole.EDITOR
    )
    for label, status in [("Gammaapplicant", None), ("Deltaapplicant", ApplicationStatus.REJECTED)]:
        application = network_services.network_application_create(
            applicant=user(label),
            name=f"Quixote {label} collective",
            kind=NetworkKind.PEER_SUPPORT,
            description=f"Quixote {label} describes their members.",
        )
        if status:
            NetworkApplication.objects.filter(pk=application.pk).update(status=status)

    own_position = PositionPageFactory(parent=alpha, title="Alpha's position")
    own_position.save_revision().publish()
    own_event = EventPageFactory(parent=alpha, title="Alpha's cafe")
    # A private address is as much the other network's own as the people coming.
    beta_event = EventPageFactory(
        parent=beta, title="Beta's debate", venue="Quixote Betavenue", postcode="QX1 9QX",
        address="9 Quixote Betastreet", address_private=True,
    )  # fmt: skip
    hub_event = EventPageFactory(title="The hub's conference")
    demand = DemandPageFactory(title="A public inquiry")

    def sign(label, **fields):
        fields.setdefault("confirmed_at", timezone.now())
        SignatureFactory(demand=demand, **person(label), **fields)

    may_see = {}
    sign("Alphasharer", affiliation=alpha, keep_updated=True)
    may_see["Alphasharer"] = "Alpha's signer who agreed to share with Alpha"
    RsvpFactory(event=own_event, **person("Alphaattendee"))
    may_see["Alphaattendee"] = "someone coming to Alpha's own event"

    sign("Alphaquiet", affiliation=alpha, keep_updated=False)
    sign("Alphaunconfirmed", affiliation=alpha, keep_updated=True, confirmed_at=None)
    sign("Alphaheld", affiliation=alpha, keep_updated=True, held=True, show_name=True)
    sign("Betasharer", affiliation=beta, keep_updated=True)
    sign("Betaquiet", affiliation=beta)
    sign("Nobody")
    sign("Heldshown", held=True, show_name=True)
    sign("Unconfirmedshown", confirmed_at=None, show_name=True)
    sign("Signeraccount", user=user("Signeraccount"))
    RsvpFactory(event=own_event, status=RsvpStatus.PENDING, **person("Alphapendingrsvp"))
    RsvpFactory(event=beta_event, **person("Betaattendee"))
    RsvpFactory(event=beta_event, status=RsvpStatus.WAITING, **person("Betawaiting"))
    RsvpFactory(event=hub_event, **person("Hubattendee"))
    subscriber = SubscriberFactory(email=person("Subscriber")["email"])
    SubscriberFactory(email=person("Subscriberunconfirmed")["email"], confirmed_at=None)
    member = MemberPreferencesFactory(user=user("Member"), networks=[alpha])
    run = DigestRun.objects.create(frequency="weekly", period="2026-W48")
    for preferences in [subscriber, member]:
        DigestDelivery.objects.create(
            preferences=preferences,
            period="weekly:2026-W48",
            run=run,
            status=DeliveryStatus.SENT,
            claimed_at=timezone.now(),
        )

    # Pledgers are the hub's alone, even to the network that proposed the pledge.
    alpha_pledge = PledgeFactory(network=alpha)
    PledgerFactory(pledge=alpha_pledge, **person("Alphapledger"), show_name=True)
    PledgerFactory(pledge=alpha_pledge, **person("Alphapledgerunconfirmed"), confirmed_at=None)
    PledgerFactory(pledge=PledgeFactory(network=beta), **person("Betapledger"))
    PledgeFactory(status=PledgeStatus.PENDING, created_by=user("Pledgeproposer"))

    # Survey answers are their own network's editors' alone (a hub survey's, the moderators').
    surveys = {"Alpha": SurveyPageFactory(parent=alpha), "Beta": SurveyPageFactory(parent=beta),
               "Hub": SurveyPageFactory()}  # fmt: skip
    for label, survey in surveys.items():
        response = ResponseFactory(survey=survey, user=user(f"{label}responder"))
        AnswerFactory(
            response=response, question__page=survey, question__kind=QuestionKind.TEXT,
            question__choices="", text=person(f"{label}surveytext")["name"],
        )  # fmt: skip
        RawExportLog.objects.create(survey=survey, user=moderator, rows=1)
    may_see["Alphasurveytext"] = "an answer to Alpha's own survey"

    # Titles, too, are another network's own until it publishes them to everyone.
    beta_draft = PositionPageFactory(parent=beta, title="Quixote Betadraft plans", live=False)
    beta_draft.save_revision()
    beta_private = PositionPageFactory(parent=beta, title="Quixote Betaprivate minutes")
    PageViewRestriction.objects.create(
        page=beta_private, restriction_type=PageViewRestriction.LOGIN
    )
    forbidden = {
        mark.lower()
        for model, fields in [
            (Signature, ["name", "email"]),
            (Rsvp, ["name", "email"]),
            (Pledger, ["name", "email"]),
            (MemberPreferences, ["email"]),
            (Invitation, ["email"]),
            (User, ["email", "last_name"]),
            (NetworkApplication, ["name", "description"]),
            (Answer, ["text"]),
        ]
        for row in model.objects.values(*fields)
        for mark in row.values()
        if WORD in mark.lower() and not any(label.lower() in mark.lower() for label in may_see)
    }
    forbidden |= {beta_draft.title.lower(), beta_private.title.lower()}
    forbidden |= {"quixote betavenue", "quixote betastreet", "qx1 9qx"}
    assert len(forbidden) > 30
    assert {"quixote betasurveytext", "quixote hubsurveytext"} <= forbidden
    own_pages = list(Page.objects.descendant_of(alpha, inclusive=True))
    return {
        "editor": editor,
        "forbidden": forbidden,
        "allowed": {mark.lower() for label in may_see for mark in person(label).values()},
        "own_pages": own_pages,
        "other_pages": [
            beta,
            beta_draft,
            beta_private,
            hub_event,
            demand,
            surveys["Beta"],
            surveys["Hub"],
        ],  # fmt: skip
    }


PERSONAL_MODELS = [Signature, Rsvp, MemberPreferences, Subscriber, DigestDelivery, Invitation,
                   Membership, User, NetworkApplication, Pledger, Pledge, Response, Answer,
                   RawExportLog]  # fmt: skip


def personal_ids() -> set[int]:
    ids = set()
    for model in PERSONAL_MODELS:
        ids |= set(model._default_manager.values_list("pk", flat=True))
    return ids


def arguments(seeded) -> dict[str, list[str]]:
    """What each route argument is filled with, by its name."""
    pages = [page.pk for page in seeded["own_pages"] + seeded["other_pages"]]
    ids = sorted(personal_ids() | set(pages))
    # Revisions only of the pages whose revisions the editor may open, and of one that is not.
    revision_pages = [page.pk for page in seeded["own_pages"]] + [seeded["other_pages"][1].pk]
    revision_ids = list(
        Revision.page_revisions.filter(
            object_id__in=[str(pk) for pk in revision_pages]
        ).values_list("pk", flat=True)
    )
    bulk_actions = {action.action_type for action in hooks.get_hooks("register_bulk_action")}
    by_name = {
        "pk": ids,
        "object_id": ids,
        "page_id": pages,
        "page_pk": pages,
        "parent_page_id": pages,
        "page_to_move_id": pages,
        "destination_id": pages,
        "revision_id": revision_ids,
        "revision_id_a": ["earliest", *revision_ids],
        "revision_id_b": ["latest", *revision_ids],
        "action": sorted(bulk_actions),
        "action_name": ["approve", "reject", "cancel", "copy", "move", "publish"],
        "filter_spec": ["original"],
        "uidb64": ["MQ"],
        "token": ["set-password"],
    }
    # Arguments that name no personal data: one sample each keeps the walk short.
    for name in ["task_id", "task_state_id", "workflow_state_id", "workflow_pk", "session_id",
                 "collection_id", "redirect_id", "image_id", "document_id", "doc_id",
                 "uploaded_file_id"]:  # fmt: skip
        by_name[name] = [1]
    values = {name: [str(value) for value in values] for name, values in by_name.items()}
    # A model is named by two arguments at once, its app and its name: they are filled together.
    # The pairs walked: every model with personal data, and every page and settings model.
    models = PERSONAL_MODELS + [
        model for model in apps.get_models() if issubclass(model, (Page, BaseSiteSetting))
    ]
    values["(app, model)"] = sorted({(m._meta.app_label, m._meta.model_name) for m in models})
    values["page (app, model)"] = sorted(
        {(m._meta.app_label, m._meta.model_name) for m in models if issubclass(m, Page)}
    )
    return values


def rows_of(pair: tuple[str, str]) -> list[str]:
    model = apps.get_model(*pair)
    return sorted(str(pk) for pk in model._default_manager.values_list("pk", flat=True))


def model_of(pattern) -> tuple[str, str] | None:
    """The (app, model) a route's view is for, when the view says."""
    callback = pattern.callback
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    if isinstance(model, type) and issubclass(model, Model):
        return model._meta.app_label, model._meta.model_name
    return None


ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
APP_NAMES = {"app_label", "app_name", "content_type_app_name"}
MODEL_NAMES = {"model_name", "content_type_model_name"}


def urls_for(route: str, values: dict, model: tuple[str, str] | None = None) -> list[str]:
    """Every URL for `route` with its arguments filled from `values`; `model` is the one its
    view is for, if it says.

    A route that names its model (by its app and name, or by its view's) is walked with every
    row of that model, and a page route with every page: any other table's ids would only be
    not found, and since the suite's rows take ids from sequences shared by all its tests, the
    walk would grow with how many tests ran before it (from five minutes to twelve)."""
    route = route.replace("^", "").replace("$", "")
    for pattern, sample in UNNAMED.items():
        route = route.replace(pattern, sample)
    names = [a or b for a, b in ARGUMENT.findall(route)]
    unknown = set(names) - set(values) - APP_NAMES - MODEL_NAMES
    assert not unknown, f"{route}: say in arguments() what to fill {unknown} with"
    pages = route.startswith(("admin/pages/", "admin/api/main/pages/"))
    if APP_NAMES & set(names):
        pairs = values["page (app, model)" if pages else "(app, model)"]
    else:
        pairs = [model]
    # The split gives each argument's two groups after the text before it.
    literals, urls = ARGUMENT.split(route)[::3], []
    for pair in pairs:
        fallback = values["page_id"] if pages else values["pk"]
        ids = rows_of(pair) if pair is not None else fallback
        choices = [
            [pair[0]] if name in APP_NAMES else [pair[1]] if name in MODEL_NAMES
            else (ids or ["1"]) if name in ("pk", "object_id") else values[name]
            for name in names
        ]  # fmt: skip
        for filled in itertools.product(*choices):
            pieces = zip(literals, [*filled, ""], strict=True)
            urls.append("/" + "".join(itertools.chain.from_iterable(pieces)))
    return urls


def query_strings(seeded) -> list[str]:
    """Searches, every personal row's and page's id (choosers, bulk actions), and exports."""
    pages = {page.pk for page in seeded["own_pages"] + seeded["other_pages"]}
    pages.add(Page.get_first_root_node().pk)
    ids = [("id", pk) for pk in sorted(personal_ids() | pages)]
    return [
        "?" + urlencode([("q", WORD), *ids]),
        "?" + urlencode({"q": WORD, "export": "csv"}),
        "?" + urlencode({"search": WORD, "fields": "*"}),
    ]


def logged_out(response) -> bool:
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is not None and not cookie.value


# Server errors of Wagtail's own, which show nobody's data.
WAGTAIL_ERRORS = {
    "admin/failwhale/": "the page for testing the error page: a 500 on purpose",
}


def test_a_network_editor_finds_no_one_else_s_personal_data_anywhere_in_the_admin(seeded):
    assert not seeded["forbidden"] & seeded["allowed"]
    client = Client(raise_request_exception=False)
    client.force_login(seeded["editor"])
    values, queries = arguments(seeded), query_strings(seeded)
    # A route of Wagtail's that one of ours takes over (hub/admin_urls.py) is reached through ours.
    admin_routes = {}
    for route, pattern in routes():
        if route.startswith("admin/"):
            admin_routes.setdefault(route, pattern)
    admin_routes = list(admin_routes.items())
    assert len(admin_routes) > 200
    leaks, errors, requests = {}, [], 0
    for route, pattern in admin_routes:
        for url in urls_for(route, values, model_of(pattern)):
            assert resolve(url).func is pattern.callback, f"{url} does not reach {route}"
            # Asked with the ids and searches first: a view that refuses that (not found, no
            # permission, elsewhere) is not asked again without, or for exports.
            for query in [queries[0], "", *queries[1:]]:
                response = client.get(url + query)
                requests += 1
                if logged_out(response):
                    client.force_login(seeded["editor"])
                if response.status_code >= 500 and route not in WAGTAIL_ERRORS:
                    errors.append((url + query, response.status_code))
                body = b"".join(response) if response.streaming else response.content
                body = body.decode(errors="replace").lower()
                for mark in seeded["forbidden"]:
                    if mark in body:
                        leaks.setdefault(route, set()).add(f"{mark} at {url + query}")
                if response.status_code not in (200, 400):
                    break
    print(f"{requests} requests")
    assert leaks == {}, "\n".join(f"{route}: {sorted(marks)}" for route, marks in leaks.items())
    assert errors == []
