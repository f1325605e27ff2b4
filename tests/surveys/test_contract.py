import pytest
from django.core.exceptions import ValidationError

from networks.factories import NetworkPageFactory
from surveys.factories import BankQuestionFactory, SurveyPageFactory, SurveyQuestionFactory
from surveys.models import SurveyQuestion
from surveys.questions import QuestionKind


def test_number_bands_count_each_number_once():
    question = SurveyQuestion(kind=QuestionKind.NUMBER, prompt="Hours", choices="0-4\n5 to 9\n10+")
    question.clean()
    assert [value for value, _ in question.categories()] == ["0-4", "5-9", "10-plus"]
    assert [question.band_of(n) for n in (0, 4, 5, 9, 10, 99)] == [
        "0-4",
        "0-4",
        "5-9",
        "5-9",
        "10-plus",
        "10-plus",
    ]
    assert question.band_of(-1) is None


@pytest.mark.parametrize(
    "kind,choices,field",
    [
        (QuestionKind.SINGLE, "Only one", "choices"),
        (QuestionKind.NUMBER, "0-4\n3-9", "choices"),
        (QuestionKind.NUMBER, "10+\n11-12", "choices"),
        (QuestionKind.AGREEMENT, "Yes\nNo", "choices"),
        (QuestionKind.MULTIPLE, "Yes\nyes", "choices"),
    ],
)
def test_a_question_that_cannot_be_counted_is_refused(kind, choices, field):
    with pytest.raises(ValidationError) as error:
        SurveyQuestion(kind=kind, prompt="Q", choices=choices).clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_a_bank_question_is_asked_as_the_bank_words_it():
    bank = BankQuestionFactory(
        kind=QuestionKind.SINGLE, prompt="Are you paid for CPD?", choices="Yes\nNo"
    )
    question = SurveyQuestion(
        page=SurveyPageFactory(), bank_question=bank, prompt="Edited", kind="text"
    )
    question.clean()
    assert (question.prompt, question.kind, question.choices) == (
        bank.prompt,
        bank.kind,
        bank.choices,
    )


@pytest.mark.django_db
def test_a_survey_under_a_network_is_that_network_s():
    network = NetworkPageFactory()
    survey = SurveyPageFactory(parent=network)
    assert survey.network_id == network.pk
    SurveyQuestionFactory(page=survey)
    assert survey.questions.count() == 1
