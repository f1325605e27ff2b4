import factory
from django.utils import timezone

from campaigns.factories import DemandPageFactory

from .models import Delivery, Target, TargetResponse


class TargetFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Target body {n}")
    slug = factory.Sequence(lambda n: f"target-body-{n}")

    class Meta:
        model = Target


class DeliveryFactory(factory.django.DjangoModelFactory):
    demand = factory.SubFactory(DemandPageFactory)
    target = factory.SubFactory(TargetFactory)
    delivered_on = factory.LazyFunction(timezone.localdate)
    signature_count = 1000

    class Meta:
        model = Delivery


class TargetResponseFactory(factory.django.DjangoModelFactory):
    delivery = factory.SubFactory(DeliveryFactory)
    text = "<p>We have noted your concerns.</p>"

    class Meta:
        model = TargetResponse
