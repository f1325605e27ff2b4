import pytest

from hub.blocks import BaseStreamBlock, HomeStreamBlock, SocialLinkBlock
from hub.factories import ImageFactory
from hub.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return ImageFactory(title="A workers' cafe")


def sample_values(image):
    home = HomePage.objects.get()
    return {
        "heading": ({"text": "Why we organise", "level": "h3"}, "<h3"),
        "paragraph": ("<p>Therapy is <b>not</b> a production line.</p>", "production line"),
        "quote": ({"quote": "Nothing about us without us.", "attribution": "Peer network"},
                  "<blockquote>"),
        "figure": ({"image": image.pk, "alt_text": "People talking", "caption": "Leeds, 2026"},
                   'alt="People talking"'),
        "call_to_action": ({"title": "Join", "text": "Find a meeting", "link_text": "Go",
                            "link": {"page": home.pk, "external_url": ""}}, 'href="/"'),
    }  # fmt: skip


def test_every_block_in_the_library_renders(image):
    stream_block = BaseStreamBlock()
    values = sample_values(image)
    assert set(values) == set(stream_block.child_blocks), "a sample for every block"
    for name, (raw, expected) in values.items():
        block = stream_block.child_blocks[name]
        html = block.render(block.to_python(raw))
        assert expected in html, name


def test_block_templates_exist_for_every_block():
    from django.template.loader import get_template

    for block in [*HomeStreamBlock().child_blocks.values(), SocialLinkBlock()]:
        get_template(block.meta.template)


def test_link_block_needs_exactly_one_target():
    from wagtail.blocks import StructBlockValidationError

    link_block = BaseStreamBlock().child_blocks["call_to_action"].child_blocks["link"]
    with pytest.raises(StructBlockValidationError):
        link_block.clean(link_block.to_python({"page": None, "external_url": ""}))
    value = link_block.clean(
        link_block.to_python({"page": None, "external_url": "https://example.org/"})
    )
    assert value.url() == "https://example.org/"
    assert value.is_external()


def test_social_link_renders_its_platform_name():
    block = SocialLinkBlock()
    html = block.render(block.to_python({"platform": "mastodon", "url": "https://x.example/@a"}))
    assert ">Mastodon</a>" in html
