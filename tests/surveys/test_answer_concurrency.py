"""One response per member on PostgreSQL, however many submissions arrive at once: the first
makes it, the others update it (the partial unique constraint, never a 500)."""

import pytest
from django.test import Client

from hub.factories import UserFactory
from surveys import services
from surveys.factories import SurveyPageFactory, SurveyQuestionFactory
from surveys.models import Answer, Response
from surveys.questions import QuestionKind
from tests.conftest import run_in_threads

from .conftest import answers_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def account_survey():
    survey = SurveyPageFactory(needs_account=True)
    survey.by_kind = {
        QuestionKind.ROLE: SurveyQuestionFactory(page=survey, kind=QuestionKind.ROLE, choices=""),
        QuestionKind.MULTIPLE: SurveyQuestionFactory(
            page=survey, kind=QuestionKind.MULTIPLE, choices="Caseload\nTargets\nSupervision"
        ),
    }
    return survey


ROLES = ["worker", "carer", "service-user", "other"]


def test_twenty_submissions_at_once_by_one_member_make_one_response(account_survey):
    member = UserFactory()
    role, multiple = account_survey.by_kind.values()
    run_in_threads(
        20,
        lambda n: services.response_submit(
            survey=account_survey,
            cleaned={role.pk: ROLES[n % 4], multiple.pk: ["caseload", "targets"]},
            user=member,
        ),
    )
    response = Response.objects.get(survey=account_survey)
    assert response.user == member
    # Exactly one submission's answers are kept, whole: no two of them interleaved.
    answers = Answer.objects.filter(response=response)
    assert sorted(answers.filter(question=multiple).values_list("value", flat=True)) == [
        "caseload",
        "targets",
    ]
    assert list(answers.filter(question=role).values_list("value", flat=True)) == [response.role]


def test_one_member_posting_the_page_at_once_from_ten_tabs_gets_no_error(account_survey):
    member = UserFactory()
    statuses = []

    def post(n):
        client = Client()
        client.force_login(member)
        data = answers_for(account_survey, role=ROLES[n % 4], multiple=["supervision"])
        statuses.append(client.post(account_survey.url, data).status_code)

    run_in_threads(10, post)
    assert statuses == [200] * 10
    assert Response.objects.filter(survey=account_survey).count() == 1


def test_members_answering_at_once_each_make_their_own(account_survey):
    members = [UserFactory() for _ in range(10)]
    role, _ = account_survey.by_kind.values()
    run_in_threads(
        10,
        lambda n: services.response_submit(
            survey=account_survey, cleaned={role.pk: "worker"}, user=members[n]
        ),
    )
    assert Response.objects.filter(survey=account_survey).count() == 10
