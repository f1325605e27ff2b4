"""Access and safety: the list editors keep, what events show and export, and the finder's
filters on it."""

import datetime as dt
import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events.icons import ICON_CHOICES, ICONS, OTHER_ICONS
from events.models import AccessFeature, EventFormat, EventPage, EventType
from hub.factories import UserFactory

from .test_admin import admin_user, refused

pytestmark = pytest.mark.django_db

SPRITE = Path(settings.BASE_DIR) / "static" / "img" / "access-icons.svg"
from_text = importlib.import_module("events.migrations.0006_access_features_from_text")


def feature(slug: str) -> AccessFeature:
    return AccessFeature.objects.get(slug=slug)


def with_features(event, *slugs):
    event.access_features.set([feature(slug) for slug in slugs])
    event.save()
    return event


# --- The list and who keeps it ------------------------------------------------------------


def test_the_starting_list_is_seeded_with_icons_we_have():
    assert AccessFeature.objects.count() == 13
    assert set(AccessFeature.objects.values_list("icon", flat=True)) <= ICONS
    assert feature("bsl-booked").schema_org_feature == "signLanguage"


def test_every_icon_named_is_in_the_sprite_and_every_symbol_is_named():
    symbols = set(re.findall(r'<symbol id="([a-z-]+)"', SPRITE.read_text()))
    assert symbols == {name for name, _label in ICON_CHOICES} | set(OTHER_ICONS)


def test_a_feature_whose_icon_we_do_not_have_gets_the_generic_one():
    assert AccessFeature(icon="no-such-icon").icon_name == "check"
    assert AccessFeature(icon="quiet-room").icon_name == "quiet-room"


def in_group(name: str):
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name=name))
    return user


FEATURES = "wagtailsnippets_events_accessfeature"


def test_moderators_keep_the_list_in_the_admin(client):
    client.force_login(in_group("Moderators"))
    assert client.get(reverse(f"{FEATURES}:list")).status_code == 200
    response = client.post(
        reverse(f"{FEATURES}:add"),
        {"name": "Large print", "slug": "large-print", "kind": "access", "icon": "check",
         "schema_org_feature": "largePrint", "sort_order": 20},
    )  # fmt: skip
    assert response.status_code == 302
    added = feature("large-print")
    assert client.get(reverse(f"{FEATURES}:delete", args=[added.pk])).status_code == 200
    client.post(reverse(f"{FEATURES}:delete", args=[added.pk]))
    assert not AccessFeature.objects.filter(slug="large-print").exists()


def test_editors_may_add_and_correct_but_not_remove_a_feature(client):
    editor = in_group("Editors")
    client.force_login(editor)
    quiet = feature("quiet-room")
    edit = reverse(f"{FEATURES}:edit", args=[quiet.pk])
    assert client.get(edit).status_code == 200
    fields = {"name": "Quiet room nearby", "slug": "quiet-room", "kind": "access",
              "icon": "quiet-room", "schema_org_feature": "", "sort_order": 6}  # fmt: skip
    assert client.post(edit, fields).status_code == 302
    assert feature("quiet-room").name == "Quiet room nearby"
    assert editor.has_perm("events.add_accessfeature")
    assert not editor.has_perm("events.delete_accessfeature")
    assert refused(client.post(reverse(f"{FEATURES}:delete", args=[quiet.pk])))
    assert AccessFeature.objects.filter(pk=quiet.pk).exists()


def test_a_network_editor_chooses_from_the_list_but_does_not_change_it(client):
    client.force_login(admin_user())
    assert refused(client.get(reverse(f"{FEATURES}:list")))
    assert refused(client.get(reverse(f"{FEATURES}:add")))


def test_the_event_editor_groups_the_checkboxes_under_access_and_safety(admin_client, make_event):
    event = make_event()
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "Access and safety" in html
    checkboxes = html[html.index("<legend>Access</legend>") :]
    safety = checkboxes.index("<legend>Safety</legend>")
    assert checkboxes.index("Step-free access") < safety < checkboxes.index("Trauma-informed")
    for name in ("closed_group", "content_notes", "access_contact_name", "accessibility"):
        assert f'name="{name}"' in html


def test_renaming_a_feature_shows_at_once_on_cached_pages(make_event, event_index):
    with_features(make_event(title="Cafe"), "quiet-room")
    assert "Quiet room" in Client().get("/events/").content.decode()
    quiet = feature("quiet-room")
    quiet.name = "Calm space"
    quiet.save()
    html = Client().get("/events/").content.decode()
    assert "Calm space" in html and "Quiet room" not in html


# --- The event page and cards -------------------------------------------------------------


@pytest.fixture
def accessible_event(make_event):
    event = make_event(
        title="Carers' circle", closed_group="carers", content_notes="We talk about grief.",
        access_contact_name="Sam", access_contact_email="sam@example.org",
        accessibility="The lift is at the back.", cost="",
    )  # fmt: skip
    return with_features(event, "step-free", "hearing-loop", "trauma-informed")


def access_section(html: str) -> str:
    return html.split('id="access-heading"', 1)[1].split("</section>", 1)[0]


def test_the_event_page_has_an_access_and_safety_section(client, accessible_event):
    section = access_section(client.get(accessible_event.url).content.decode())
    assert "Step-free access" in section and "Hearing loop" in section
    assert 'aria-hidden="true"' in section and "#step-free" in section
    assert "for carers only" in section
    assert "We talk about grief." in section
    assert 'href="mailto:sam@example.org"' in section
    assert "The lift is at the back." in section
    assert "Free" in section
    order = ["Hearing loop", "for carers only", "grief", "mailto:", "The lift"]
    assert [section.index(text) for text in order] == sorted(section.index(t) for t in order)


def test_an_event_that_says_nothing_about_access_says_so(client, make_event):
    html = client.get(make_event(cost="£5").url).content.decode()
    section = access_section(html)
    assert "have not listed any access arrangements" in section
    assert "Free" not in section


def test_a_card_names_up_to_four_items_then_how_many_more(client, make_event):
    with_features(make_event(title="Few", cost=""), "step-free")
    with_features(
        make_event(title="Many", closed_group="workers", cost=""),
        "step-free", "hearing-loop", "quiet-room", "childcare", "food",
    )  # fmt: skip
    html = client.get("/events/").content.decode()
    few = html.split("Few</a>", 1)[1].split("</article>", 1)[0]
    many = html.split("Many</a>", 1)[1].split("</article>", 1)[0]
    assert "Free" in few and "Step-free access" in few and "more" not in few
    assert "Workers only" in many and "Free" in many and "Step-free access" in many
    assert "Hearing loop" not in many
    assert "and 4 more" in many


def test_the_event_page_json_ld_has_access_audience_and_free(client, accessible_event):
    with_features(accessible_event, "bsl-booked", "live-captions", "step-free")
    html = client.get(accessible_event.url).content.decode()
    data = json.loads(html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["accessibilityFeature"] == ["captions", "signLanguage"]
    assert data["audience"] == {"@type": "Audience", "audienceType": "Carers"}
    assert data["isAccessibleForFree"] is True


def test_an_open_paid_event_has_no_audience_and_an_offer(make_event):
    data = make_event(cost="£5").schema_org()
    assert "audience" not in data and "accessibilityFeature" not in data
    assert "isAccessibleForFree" not in data and data["offers"]["description"] == "£5"


# --- Feeds and the API --------------------------------------------------------------------


def test_the_ics_lists_access_and_safety_in_words_and_categories(client, accessible_event):
    body = client.get(reverse("events:event_ics", args=[accessible_event.pk])).content
    vevent = Calendar.from_ical(body).walk("VEVENT")[0]
    description = str(vevent["DESCRIPTION"])
    assert "Access and safety: Step-free access, Hearing loop, Trauma-informed" in description
    assert "Closed group: for carers only" in description
    assert "Content notes: We talk about grief." in description
    assert "More about access: The lift is at the back." in description
    assert "ask Sam" in description
    assert "sam@example.org" not in body.decode()
    categories = [str(c) for c in vevent["CATEGORIES"].cats]
    assert categories == ["Meeting", "Step-free access", "Hearing loop", "Trauma-informed", "Free"]


def test_the_api_gives_access_and_safety_but_not_the_contacts_address(client, accessible_event):
    body = client.get(f"/api/v2/events/{accessible_event.pk}/").json()
    assert [item["slug"] for item in body["access_features"]] == [
        "step-free", "hearing-loop", "trauma-informed"
    ]  # fmt: skip
    assert body["access_features"][0] == {"slug": "step-free", "name": "Step-free access",
                                          "kind": "access"}  # fmt: skip
    assert body["closed_group"] == "carers"
    assert body["content_notes"] == "We talk about grief."
    assert body["access_contact_name"] == "Sam"
    assert body["free"] is True
    assert "sam@example.org" not in json.dumps(body)


# --- The finder's filters -----------------------------------------------------------------


@pytest.fixture
def tagged_events(make_event):
    soon = timezone.now() + dt.timedelta(days=2)
    with_features(make_event(title="Both", start=soon, cost=""), "step-free", "bsl-booked")
    with_features(make_event(title="Ramp", start=soon, cost="£3"), "step-free")
    with_features(make_event(title="Signed", start=soon, cost=""), "bsl-booked")
    make_event(title="Neither", start=soon, cost="")


def titles(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'class="event-item__title"><a href="[^"]*">([^<]*)</a>', html))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("access=step-free", {"Both", "Ramp"}),
        ("access=bsl-booked&access=step-free", {"Both"}),
        ("access=step-free&access=bsl-booked", {"Both"}),
        ("free=on", {"Both", "Signed", "Neither"}),
        ("free=on&access=step-free", {"Both"}),
        ("access=quiet-room", set()),
    ],
)
def test_the_finder_finds_events_with_every_feature_ticked(client, tagged_events, query, expected):
    assert titles(client.get(f"/events/?{query}")) == expected
    feed = Calendar.from_ical(client.get(f"/events/calendar.ics?{query}").content)
    assert {str(item["SUMMARY"]) for item in feed.walk("VEVENT")} == expected
    api = client.get(f"/api/v2/events/?{query}&fields=title").json()["items"]
    assert {item["title"] for item in api} == expected


def test_an_unknown_feature_is_explained_and_a_400_in_the_api(client, tagged_events):
    html = client.get("/events/?access=levitation").content.decode()
    assert "We could not use some of your filters" in html and "Access and safety:" in html
    assert titles(client.get("/events/?access=levitation")) == {"Both", "Ramp", "Signed",
                                                                "Neither"}  # fmt: skip
    assert client.get("/api/v2/events/?access=levitation").status_code == 400


def test_the_finder_offers_grouped_checkboxes_and_free(client, tagged_events):
    html = client.get("/events/").content.decode()
    assert 'type="checkbox" name="access" value="step-free"' in html
    assert "<legend>Safety</legend>" in html
    assert 'name="free"' in html


def page_keys() -> set[str]:
    return set(cache.iter_keys("page:*"))


@pytest.mark.redis
def test_two_access_choices_never_share_a_cache_entry(tagged_events):
    first = Client().get("/events/?access=step-free")
    assert len(page_keys()) == 1
    second = Client().get("/events/?access=bsl-booked")
    assert len(page_keys()) == 2
    assert titles(first) == {"Both", "Ramp"} and titles(second) == {"Both", "Signed"}
    both = Client().get("/events/?access=step-free&access=bsl-booked")
    assert len(page_keys()) == 3 and titles(both) == {"Both"}
    again = Client().get("/events/?access=bsl-booked&access=step-free")
    assert len(page_keys()) == 3, "the same choice in another order is the same entry"
    assert titles(again) == {"Both"}
    Client().get("/events/?access=step-free&access=step-free")
    assert len(page_keys()) == 3, "a repeated value makes no entry"
    assert titles(Client().get("/events/?access=step-free&free=on")) == {"Both"}


@pytest.mark.redis
def test_the_feed_cache_is_keyed_by_the_access_choice(tagged_events):
    def summaries(query):
        feed = Calendar.from_ical(Client().get(f"/events/calendar.ics?{query}").content)
        return {str(item["SUMMARY"]) for item in feed.walk("VEVENT")}

    assert summaries("access=step-free") == {"Both", "Ramp"}
    assert summaries("access=bsl-booked") == {"Both", "Signed"}
    assert summaries("access=bsl-booked&access=step-free") == {"Both"}
    assert len(set(cache.iter_keys("content:*:finder-feed:*"))) == 3


def test_when_is_offered_once_as_links_and_carried_through_the_form(client, tagged_events):
    html = client.get("/events/?when=this-week").content.decode()
    assert '<select name="when"' not in html
    assert '<input type="hidden" name="when" value="this-week"' in html
    assert 'aria-current="page">This week</a>' in html
    assert "Filter events</summary>" in html, "the period is not counted as a folded filter"


# --- Cancelled events in the other listings -----------------------------------------------


def test_network_and_topic_pages_neither_list_nor_count_cancelled_events(
    client, make_event, make_network
):
    from hub.factories import TopicFactory

    network = make_network(title="Carers United")
    topic = TopicFactory(name="Care", slug="care")
    make_event(title="Called off", parent=network, topics=[topic], cancelled=True)
    make_event(title="Going ahead", parent=network, topics=[topic])
    network_page = client.get(network.url).content.decode()
    assert "Going ahead" in network_page and "Called off" not in network_page
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert "Going ahead" in topic_page and "Called off" not in topic_page
    from networks.models import NetworkPage
    from topics.selectors import topics_with_counts

    assert NetworkPage.objects.with_counts().get(pk=network.pk).upcoming_event_count == 1
    assert topics_with_counts().get(pk=topic.pk).event_count == 1


# --- Existing events' text becomes ticks (migration 0005) ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Step-free access via the side door; hearing loop in the main hall.",
         {"step-free", "hearing-loop"}),
        ("There is no step-free access, sorry.", set()),
        ("Not step-free, but there is a hearing loop", {"hearing-loop"}),
        ("The venue isn't wheelchair accessible.", set()),
        ("Unfortunately we don't have a hearing loop.", set()),
        ("BSL interpreter booked. Quiet room available.", {"bsl-booked", "quiet-room"}),
        ("BSL on request", {"bsl-on-request"}),
        ("BSL interpretation.", {"bsl-on-request"}),
        ("Live captions on the stream; regular breaks.", {"live-captions", "seating-and-breaks"}),
        ("Lunch provided, travel costs reimbursed, creche available.",
         {"food", "travel-support", "childcare"}),
        ("Bring your own lunch. Seating is limited.", set()),
        ("A trauma-informed, peer-led space with an accessible toilet.",
         {"trauma-informed", "peer-led", "accessible-toilet"}),
        ("Upstairs, no lift.", set()),
        ("", set()),
    ],
)  # fmt: skip
def test_plainly_named_features_are_found_in_the_text(text, expected):
    assert from_text.features_named(text) == expected


def test_the_migration_ticks_what_the_text_names_and_keeps_the_text(make_event):
    text = "Step-free throughout. BSL on request. No hearing loop."
    named = make_event(title="Named", accessibility=text)
    ticked = with_features(make_event(title="Ticked", accessibility="Quiet room."), "food")
    silent = make_event(title="Silent", accessibility="")

    from_text.tick(django_apps, None)
    from_text.tick(django_apps, None)  # twice, as a re-run would: nothing doubles

    def slugs(event):
        return set(
            EventPage.objects.get(pk=event.pk).access_features.values_list("slug", flat=True)
        )

    assert slugs(named) == {"step-free", "bsl-on-request"}
    assert EventPage.objects.get(pk=named.pk).accessibility == text
    assert slugs(ticked) == {"food", "quiet-room"}, "ticks are added, none taken away"
    assert slugs(silent) == set()


def test_an_online_event_in_the_finder_is_labelled_with_its_format(client, make_event):
    make_event(title="Stream", format=EventFormat.HYBRID, event_type=EventType.DEBATE)
    html = client.get("/events/", {"format": "online"}).content.decode()
    assert "Stream" in html
    assert "Online (and hybrid)" in html
