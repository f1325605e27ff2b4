import factory
import wagtail_factories

from hub.factories import UserFactory
from hub.models import HomePage

from .models import (
    Membership,
    MembershipRole,
    NetworkIndexPage,
    NetworkKind,
    NetworkPage,
    PositionPage,
)


class NetworkIndexPageFactory(wagtail_factories.PageFactory):
    title = "Networks"
    slug = "networks"

    class Meta:
        model = NetworkIndexPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = NetworkIndexPage.objects.first()
        if existing is not None:
            return existing
        # PageFactory always passes `parent`, as None when not given: that would make a root.
        if kwargs.get("parent") is None:
            kwargs["parent"] = HomePage.objects.get()
        return super()._create(model_class, *args, **kwargs)


class NetworkPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Network {n}")
    kind = NetworkKind.SERVICE_USER
    description = "<p>A network of the coalition.</p>"
    parent = factory.SubFactory(NetworkIndexPageFactory)

    class Meta:
        model = NetworkPage


class PositionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Position {n}")
    summary = "Where the network stands."
    parent = factory.SubFactory(NetworkPageFactory)

    class Meta:
        model = PositionPage


class MembershipFactory(factory.django.DjangoModelFactory):
    network = factory.SubFactory(NetworkPageFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.ADMIN

    class Meta:
        model = Membership
