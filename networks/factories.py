import factory
import wagtail_factories

from hub.factories import IndexPageFactory, UserFactory

from .models import (
    Membership,
    MembershipRole,
    NetworkIndexPage,
    NetworkKind,
    NetworkPage,
    PositionPage,
)


class NetworkIndexPageFactory(IndexPageFactory):
    title = "Networks"
    slug = "networks"

    class Meta:
        model = NetworkIndexPage


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
