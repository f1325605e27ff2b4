import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail import hooks
from wagtail.snippets.models import get_snippet_models

from hub.factories import UserFactory
from hub.moderators import MODERATORS_GROUP
from surveys.factories import (
    AnswerFactory,
    ResponseFactory,
    SurveyPageFactory,
    SurveyQuestionFactory,
)
from surveys.models import Answer, RawExportLog, Response
from surveys.questions import QuestionKind
from tests.networks.conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db

SECRET = "My manager told me not to record the overtime"


@pytest.fixture
def world():
    moderator = verified_user("mod@example.org", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    superuser = UserFactory(is_superuser=True, is_staff=True)
    alpha_editor = verified_user("alpha@example.org")
    beta_editor = verified_user("beta@example.org")
    alpha = approved_network("Alpha", applicant=alpha_editor, moderator=superuser)
    approved_network("Beta", applicant=beta_editor, moderator=superuser)
    survey = SurveyPageFactory(parent=alpha, title="Alpha's survey")
    hub_survey = SurveyPageFactory(title="The hub's survey")
    for page in (survey, hub_survey):
        role = SurveyQuestionFactory(page=page, kind=QuestionKind.ROLE, choices="", prompt="Role")
        text = SurveyQuestionFactory(
            page=page, kind=QuestionKind.TEXT, choices="", prompt="Tell us"
        )
        response = ResponseFactory(survey=page, role="carer", region="wales")
        AnswerFactory(response=response, question=role, value="carer")
        AnswerFactory(response=response, question=text, text=f"{SECRET} ({page.title})")
    return {
        "survey": survey, "hub_survey": hub_survey, "alpha_editor": alpha_editor,
        "beta_editor": beta_editor, "moderator": moderator, "superuser": superuser,
    }  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(survey):
    return (
        reverse("surveys_raw_index", args=[survey.pk]),
        reverse("surveys_raw_export", args=[survey.pk]),
    )


def test_the_network_s_editor_reads_the_responses_and_exports_them_logged(world):
    survey, editor = world["survey"], world["alpha_editor"]
    client = client_for(editor)
    index, export = urls(survey)
    page = client.get(index)
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET in html and "A carer or family member" in html and "Nobody has exported" in html

    response = client.post(export)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Answered", "Role", "Region"] and rows[0][3:] == ["Role", "Tell us"]
    assert rows[1][1:] == ["A carer or family member", "Wales", "A carer or family member",
                           f"{SECRET} (Alpha's survey)"]  # fmt: skip
    log = RawExportLog.objects.get()
    assert (log.survey_id, log.user, log.rows) == (survey.pk, editor, 1)
    assert "Nobody has exported" not in client.get(index).content.decode()


def test_the_export_is_a_post_only(world):
    client = client_for(world["alpha_editor"])
    assert client.get(urls(world["survey"])[1]).status_code == 405
    assert not RawExportLog.objects.exists()


@pytest.mark.parametrize("who", ["beta_editor", "moderator", "superuser"])
def test_nobody_else_reads_a_network_s_responses(world, who):
    client = client_for(world[who])
    index, export = urls(world["survey"])
    for response in (client.get(index), client.post(export)):
        assert response.status_code == 404
        assert SECRET not in response.content.decode()
    assert not RawExportLog.objects.exists()


@pytest.mark.parametrize("who,status", [("moderator", 200), ("superuser", 404),
                                        ("alpha_editor", 404)])  # fmt: skip
def test_a_hub_survey_s_responses_are_the_moderators(world, who, status):
    assert client_for(world[who]).get(urls(world["hub_survey"])[0]).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    index, export = urls(world["survey"])
    assert client.get(index).status_code == 302
    assert client.post(export).status_code == 302


@pytest.mark.parametrize("who,shown", [("alpha_editor", True), ("superuser", False)])
def test_the_edit_page_s_responses_button_is_only_for_those_who_may_read(world, who, shown):
    survey = world["survey"]
    html = client_for(world[who]).get(reverse("wagtailadmin_pages:edit", args=[survey.pk]))
    assert html.status_code == 200
    assert (urls(survey)[0] in html.content.decode()) is shown


def test_the_listing_takes_the_same_queries_however_many_respond(
    world, django_assert_max_num_queries
):
    survey = world["survey"]
    client = client_for(world["alpha_editor"])
    index = urls(survey)[0]
    client.get(index)
    question = survey.questions.get(kind=QuestionKind.TEXT)
    responses = Response.objects.bulk_create(Response(survey=survey) for _ in range(120))
    Answer.objects.bulk_create(
        Answer(response=r, question=question, text="Long days") for r in responses
    )
    with django_assert_max_num_queries(25):
        page = client.get(index)
    assert page.content.decode().count("Long days") == 49  # the first page holds 50
    assert client.get(index + "?p=3").status_code == 200


def test_responses_answers_and_exports_have_no_other_admin_listing():
    """No snippet or viewset: they must appear in no chooser, report, listing or search."""
    private = {Response, Answer, RawExportLog}
    assert not private & set(get_snippet_models())
    for hook in hooks.get_hooks("register_admin_viewset"):
        viewsets = hook()
        for viewset in viewsets if isinstance(viewsets, list | tuple) else [viewsets]:
            assert getattr(viewset, "model", None) not in private
