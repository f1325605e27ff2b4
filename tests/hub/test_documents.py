"""Documents are served only by Wagtail's view, which applies their collection's privacy; the
media folder serves images alone."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from hub.factories import ImageFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = b"Minutes of the members' meeting: who spoke about their treatment."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def readers():
    return Group.objects.create(name="Minute readers")


@pytest.fixture
def private_document(readers):
    collection = Collection.get_first_root_node().add_child(name="Members only")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(readers)
    return get_document_model().objects.create(
        title="Minutes", file=ContentFile(SECRET, name="minutes.txt"), collection=collection
    )


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_a_private_document_is_refused_wherever_its_file_could_be_served(client, private_document):
    path = private_document.file.name
    assert path.startswith("documents/")
    assert private_document.url == f"/documents/{private_document.pk}/minutes.txt"
    urls = [
        private_document.url,
        f"/media/{path}",
        f"/media/images/../{path}",
        f"/media/images/%2e%2e/{path}",
        f"/media/original_images/..%2f{path}",
        f"/media/images/..%5c{path}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in {302, 400, 403, 404}, url
        assert SECRET not in body(response), url

    client.force_login(UserFactory())
    response = client.get(private_document.url)
    assert response.status_code == 302, "signed in but not a reader: refused"
    assert SECRET not in body(response)


def test_a_permitted_reader_gets_the_document_from_the_document_view(
    client, private_document, readers
):
    reader = UserFactory()
    reader.groups.add(readers)
    client.force_login(reader)
    response = client.get(private_document.url)
    assert response.status_code == 200
    assert body(response) == SECRET
    assert client.get(f"/media/{private_document.file.name}").status_code == 404


def test_images_and_their_renditions_are_still_served_from_media(client):
    image = ImageFactory()
    rendition = image.get_rendition("fill-20x20")
    for url in [rendition.url, image.file.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/"), url
