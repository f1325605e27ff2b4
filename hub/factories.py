import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .models import ContentPage, CustomImage, HomePage, Topic


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("a-long-and-unusual-passphrase")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda topic: slugify(topic.name))

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = CustomImage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    intro = factory.Faker("sentence")

    class Meta:
        model = ContentPage


class IndexPageFactory(wagtail_factories.PageFactory):
    """A `max_count = 1` index page under the home page: the existing one, or a new one."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        existing = model_class.objects.first()
        if existing is not None:
            return existing
        # PageFactory always passes `parent`, as None when not given: that would make a root.
        if kwargs.get("parent") is None:
            kwargs["parent"] = HomePage.objects.get()
        return super()._create(model_class, *args, **kwargs)
