import factory
import wagtail_factories
from django.utils import timezone

from hub.factories import IndexPageFactory
from hub.roles import Role

from .models import DemandIndexPage, DemandPage, PlatformPage, Signature


class DemandIndexPageFactory(IndexPageFactory):
    title = "Demands"
    slug = "demands"

    class Meta:
        model = DemandIndexPage


class PlatformPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Platform {n}")
    intro = "A platform of demands."
    parent = factory.SubFactory(DemandIndexPageFactory)

    class Meta:
        model = PlatformPage


class DemandPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Demand {n}")
    ask = "Do the right thing."
    milestones = "100,1000"
    parent = factory.SubFactory(DemandIndexPageFactory)

    class Meta:
        model = DemandPage


class SignatureFactory(factory.django.DjangoModelFactory):
    """A signature row made directly, for tests that set up state, not for the signing flow."""

    demand = factory.SubFactory(DemandPageFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"signer{n}@example.net")
    email_canonical = factory.LazyAttribute(lambda signature: signature.email.lower())
    kind = Role.WORKER
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Signature
