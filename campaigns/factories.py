import factory
import wagtail_factories
from django.utils import timezone

from hub.models import HomePage

from .models import DemandIndexPage, DemandPage, PlatformPage, Signature, SignerKind


class DemandIndexPageFactory(wagtail_factories.PageFactory):
    title = "Demands"
    slug = "demands"

    class Meta:
        model = DemandIndexPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = DemandIndexPage.objects.first()
        if existing is not None:
            return existing
        # PageFactory always passes `parent` (None by default), so setdefault would not do.
        kwargs["parent"] = kwargs.get("parent") or HomePage.objects.get()
        return super()._create(model_class, *args, **kwargs)


class PlatformPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Platform {n}")
    intro = "A platform of demands."
    parent = factory.SubFactory(DemandIndexPageFactory)

    class Meta:
        model = PlatformPage


class DemandPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Demand {n}")
    ask = "Do the right thing."
    addressed_to = "NHS England"
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
    kind = SignerKind.WORKER
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Signature
