import pytest

from hub.models import HomePage
from networks.factories import NetworkIndexPageFactory, NetworkPageFactory
from networks.models import NetworkIndexPage, NetworkPage, PositionPage, name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Clyde Survivors Network", "clyde survivors network"),
        ("Clyde Survivors Network", "Clyde-Survivors  Network!"),
        ("Counsellors' Alliance", "COUNSELLORS ALLIANCE"),
        ("Straße Gruppe", "STRASSE-GRUPPE"),
        ("Rhwydwaith Lles Cymru", " rhwydwaith.lles.cymru "),
    ],
)
def test_name_key_ignores_case_spaces_and_punctuation(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_keeps_letters_that_matter():
    assert name_key("Network A") != name_key("Network B")
    assert name_key("Café") != name_key("Cafe")
    assert name_key("!!! ???") == ""
    assert name_key("नेटवर्क") != name_key("नटवरक")


@pytest.mark.django_db
def test_page_tree_keeps_its_shape():
    home = HomePage.objects.get()
    assert NetworkIndexPage.can_create_at(home)
    index = NetworkIndexPageFactory()
    network = NetworkPageFactory(parent=index)
    assert not NetworkIndexPage.can_create_at(home), "only one directory"
    assert NetworkPage.can_create_at(index)
    assert not NetworkPage.can_create_at(home)
    assert PositionPage.can_create_at(network)
    assert not PositionPage.can_create_at(index)
    assert not PositionPage.can_create_at(home)
    assert NetworkPage.subpage_types == [
        "networks.PositionPage",
        "events.EventPage",
        "surveys.SurveyPage",
    ]


@pytest.mark.django_db
def test_a_network_page_keeps_its_name_key_in_step_with_its_title():
    network = NetworkPageFactory(title="Harbour Circle")
    assert network.name_key == "harbourcircle"
    network.title = "Harbour Peer Circle"
    network.save()
    network.refresh_from_db()
    assert network.name_key == "harbourpeercircle"


@pytest.mark.django_db
def test_an_editor_cannot_rename_a_network_onto_another_ones_name():
    from django.core.exceptions import ValidationError

    NetworkPageFactory(title="Harbour Circle")
    other = NetworkPageFactory(title="Lagan Collective")
    other.title = "HARBOUR circle."
    with pytest.raises(ValidationError, match="already has this name"):
        other.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["members", "leave"])
def test_a_position_cannot_take_a_slug_the_network_routes_use(slug):
    from django.core.exceptions import ValidationError

    from networks.factories import PositionPageFactory

    position = PositionPageFactory()
    position.slug = slug
    with pytest.raises(ValidationError, match="used by the site"):
        position.full_clean()
