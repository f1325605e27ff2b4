import factory
from django.utils import timezone

from hub.factories import UserFactory

from .models import MemberPreferences


class MemberPreferencesFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    digest_frequency = "daily"

    class Meta:
        model = MemberPreferences
        skip_postgeneration_save = True

    @factory.post_generation
    def networks(self, create, extracted, **kwargs):
        if create and extracted:
            self.networks.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def demands(self, create, extracted, **kwargs):
        if create and extracted:
            self.demands.set(extracted)


class SubscriberFactory(MemberPreferencesFactory):
    """A confirmed weekly subscriber without an account."""

    user = None
    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    digest_frequency = "weekly"
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmation_sent_at = factory.LazyFunction(timezone.now)
