"""The one block library: every StreamField on the site is built from these blocks."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

BLOCK_TEMPLATES = "components/streamfield/blocks"


class LinkStructValue(blocks.StructValue):
    """Resolves a link that may point at a page or at an external URL."""

    def url(self):
        if page := self.get("page"):
            return page.url
        return self.get("external_url") or ""

    def is_external(self):
        return not self.get("page") and bool(self.get("external_url"))


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(required=False)
    external_url = blocks.URLBlock(required=False, label="External URL")

    class Meta:
        value_class = LinkStructValue
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or give a URL, not both.")}
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subheading")], default="h2"
    )

    class Meta:
        icon = "title"
        template = f"{BLOCK_TEMPLATES}/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = f"{BLOCK_TEMPLATES}/paragraph_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = f"{BLOCK_TEMPLATES}/quote_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Describe the image for people who cannot see it; leave empty if decorative.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = f"{BLOCK_TEMPLATES}/figure_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, max_length=400)
    link_text = blocks.CharBlock(max_length=60)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        template = f"{BLOCK_TEMPLATES}/call_to_action_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    quote = QuoteBlock()
    figure = FigureBlock()
    call_to_action = CallToActionBlock()


# The home page's sections. Their contents are read from the feature apps by the `home` app's
# template tags, which the block templates load: hub names the page types only by string.
class FeaturedDemandBlock(blocks.StructBlock):
    demand = blocks.PageChooserBlock(
        page_type="campaigns.DemandPage",
        required=False,
        help_text="Leave empty to feature the newest open demand.",
    )
    eyebrow = blocks.CharBlock(max_length=60, default="Sign our demand")
    button_text = blocks.CharBlock(max_length=40, default="Sign the demand")

    class Meta:
        icon = "pick"
        label = "Featured demand"
        template = f"{BLOCK_TEMPLATES}/featured_demand_block.html"


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Next events")
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)
    show_search = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text='Show the "find a meeting near you" search by postcode, region and format.',
    )

    class Meta:
        icon = "date"
        label = "Next events"
        template = f"{BLOCK_TEMPLATES}/upcoming_events_block.html"


class NetworksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="The networks")
    text = blocks.TextBlock(
        required=False,
        max_length=400,
        default="Service-user groups, unions, and professional and peer networks, organising "
        "together.",
    )
    count = blocks.IntegerBlock(
        min_value=1, max_value=48, default=12, help_text="How many networks' logos to show."
    )

    class Meta:
        icon = "group"
        label = "Networks"
        template = f"{BLOCK_TEMPLATES}/networks_block.html"


class LatestPositionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Latest positions")
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)

    class Meta:
        icon = "doc-full"
        label = "Latest positions"
        template = f"{BLOCK_TEMPLATES}/latest_positions_block.html"


class OpenPledgesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Pledges")
    count = blocks.IntegerBlock(min_value=1, max_value=12, default=3)

    class Meta:
        icon = "tick-inverse"
        label = "Open pledges"
        template = f"{BLOCK_TEMPLATES}/open_pledges_block.html"


class HomeStreamBlock(BaseStreamBlock):
    featured_demand = FeaturedDemandBlock()
    upcoming_events = UpcomingEventsBlock()
    networks = NetworksBlock()
    latest_positions = LatestPositionsBlock()
    open_pledges = OpenPledgesBlock()


SOCIAL_PLATFORMS = [
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("youtube", "YouTube"),
    ("linkedin", "LinkedIn"),
    ("x", "X (Twitter)"),
    ("other", "Other"),
]


class SocialLinkValue(blocks.StructValue):
    def label(self):
        return dict(SOCIAL_PLATFORMS).get(self.get("platform"), "Link")


class SocialLinkBlock(blocks.StructBlock):
    platform = blocks.ChoiceBlock(choices=SOCIAL_PLATFORMS)
    url = blocks.URLBlock(label="URL")

    class Meta:
        icon = "site"
        value_class = SocialLinkValue
        template = f"{BLOCK_TEMPLATES}/social_link_block.html"
