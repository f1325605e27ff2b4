import datetime

import factory
import wagtail_factories
from django.utils import timezone

from hub.factories import IndexPageFactory

from .models import (
    Answer,
    BankQuestion,
    PooledResultsPage,
    Response,
    SurveyIndexPage,
    SurveyPage,
    SurveyQuestion,
)
from .questions import QuestionKind


class SurveyIndexPageFactory(IndexPageFactory):
    title = "Surveys"
    slug = "surveys"

    class Meta:
        model = SurveyIndexPage


class SurveyPageFactory(wagtail_factories.PageFactory):
    """An open survey under /surveys/; pass `parent=<a NetworkPage>` for a network's."""

    title = factory.Sequence(lambda n: f"Survey {n}")
    parent = factory.SubFactory(SurveyIndexPageFactory)
    consent = "I agree that my answers are counted and published only as totals."
    data_holder = "The Free Association hub"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))

    class Meta:
        model = SurveyPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        survey = super()._create(model_class, *args, **kwargs)
        parent = survey.get_parent().specific
        if parent._meta.label == "networks.NetworkPage" and survey.network_id != parent.pk:
            survey.network_id = parent.pk
            survey.save(update_fields=["network"])
        return survey


class PooledResultsPageFactory(wagtail_factories.PageFactory):
    """Pooled results under /surveys/; add its surveys with PooledSurvey rows."""

    title = factory.Sequence(lambda n: f"Pooled results {n}")
    parent = factory.SubFactory(SurveyIndexPageFactory)

    class Meta:
        model = PooledResultsPage


class BankQuestionFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"bank-question-{n}")
    prompt = factory.Sequence(lambda n: f"How often do you work unpaid hours? ({n})")
    kind = QuestionKind.AGREEMENT

    class Meta:
        model = BankQuestion


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    """A survey's own question; pass `bank_question=` to ask a bank question (its wording is
    copied, as the page editor does)."""

    page = factory.SubFactory(SurveyPageFactory)
    prompt = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.SINGLE
    choices = "Yes\nNo\nNot sure"
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = SurveyQuestion

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        bank = kwargs.get("bank_question")
        if bank is not None:
            kwargs.update(kind=bank.kind, prompt=bank.prompt, choices=bank.choices)
        return super()._create(model_class, *args, **kwargs)


class ResponseFactory(factory.django.DjangoModelFactory):
    survey = factory.SubFactory(SurveyPageFactory)

    class Meta:
        model = Response


class AnswerFactory(factory.django.DjangoModelFactory):
    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(SurveyQuestionFactory)

    class Meta:
        model = Answer
