"""The question bank in the admin: hub moderators keep it; a network editor may only choose its
questions, building a survey in the page editor under their own network's page and no other."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from hub.factories import UserFactory
from surveys.factories import BankQuestionFactory, SurveyPageFactory, SurveyQuestionFactory
from surveys.models import BankQuestion, SurveyPage
from surveys.questions import QuestionKind
from tests.networks.conftest import approved_network

pytestmark = pytest.mark.django_db

BANK = "wagtailsnippets_surveys_bankquestion"
CHOOSER = "wagtailsnippetchoosers_surveys_bankquestion"


def refused(response) -> bool:
    """Wagtail answers PermissionDenied with 403, or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def bank_fields(**overrides) -> dict:
    fields = {"prompt": "Do you have a say in your caseload?", "slug": "caseload-say"}
    return {**fields, "kind": "agreement", "choices": "", "help_text": "", "notes": "", **overrides}


@pytest.fixture
def moderator(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


@pytest.fixture
def networks(db):
    return approved_network("Network Alpha"), approved_network("Network Beta")


@pytest.fixture
def editor(client, networks):
    alpha, _ = networks
    user = alpha.memberships.get().user
    assert not user.is_superuser and not user.is_staff
    client.force_login(user)
    return client


def test_moderators_add_change_and_delete_bank_questions(moderator):
    assert moderator.get(reverse(f"{BANK}:list")).status_code == 200
    response = moderator.post(reverse(f"{BANK}:add"), bank_fields())
    assert response.status_code == 302
    question = BankQuestion.objects.get()
    response = moderator.post(
        reverse(f"{BANK}:edit", args=[question.pk]),
        bank_fields(kind="single", choices="Always\nSometimes\nNever"),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE
    moderator.post(reverse(f"{BANK}:delete", args=[question.pk]))
    assert not BankQuestion.objects.exists()


def test_a_bank_question_a_survey_asks_is_not_deleted(moderator):
    bank = BankQuestionFactory()
    survey = SurveyPageFactory()
    SurveyQuestionFactory(page=survey, bank_question=bank)
    survey.save_revision().publish()  # the reference index learns what uses it
    response = moderator.post(reverse(f"{BANK}:delete", args=[bank.pk]))
    assert response.status_code in (302, 403)
    assert BankQuestion.objects.filter(pk=bank.pk).exists()


def test_moderators_find_bank_questions_by_prompt_and_kind(moderator):
    BankQuestionFactory(prompt="Are you paid for supervision?", kind=QuestionKind.AGREEMENT)
    BankQuestionFactory(prompt="Hours worked", kind=QuestionKind.NUMBER, choices="0-9\n10+")
    listing = reverse(f"{BANK}:list")
    html = moderator.get(listing, {"q": "supervision"}).content.decode()
    assert "Are you paid for supervision?" in html and "Hours worked" not in html
    html = moderator.get(listing, {"kind": "number"}).content.decode()
    assert "Hours worked" in html and "Are you paid for supervision?" not in html


def test_a_network_editor_can_choose_but_not_add_or_change_bank_questions(editor):
    question = BankQuestionFactory(prompt="My service is safe.")
    assert refused(editor.get(reverse(f"{BANK}:add")))
    assert refused(editor.post(reverse(f"{BANK}:add"), bank_fields()))
    assert refused(editor.get(reverse(f"{BANK}:edit", args=[question.pk])))
    assert refused(editor.post(reverse(f"{BANK}:edit", args=[question.pk]), bank_fields()))
    assert refused(editor.post(reverse(f"{BANK}:delete", args=[question.pk])))
    assert BankQuestion.objects.count() == 1
    assert BankQuestion.objects.get().prompt == "My service is safe."

    chooser = editor.get(reverse(f"{CHOOSER}:choose"))
    assert chooser.status_code == 200
    assert "My service is safe." in chooser.content.decode()
    chosen = editor.get(reverse(f"{CHOOSER}:chosen", args=[question.pk]))
    assert chosen.status_code == 200
    assert "My service is safe." in chosen.content.decode()


def test_someone_outside_every_editor_group_cannot_choose(client):
    BankQuestionFactory()
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert refused(client.get(reverse(f"{CHOOSER}:choose")))


def survey_form(title, slug, questions, **extra):
    opens = timezone.localtime() - datetime.timedelta(days=1)
    closes = opens + datetime.timedelta(days=30)
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>Tell us how it is.</p>"),
            "questions": inline_formset(questions, min=1),
            "opens_at": opens.strftime("%Y-%m-%d %H:%M"),
            "closes_at": closes.strftime("%Y-%m-%d %H:%M"),
            "consent": "I agree that my answers are counted.",
            "data_holder": "Network Alpha",
            "retention_days": "365",
            "retention_action": "anonymise",
            "results_intro": rich_text(""),
            "min_cell_size": "10",
            "comments": inline_formset([]),
            **extra,
        }
    )


def bank_row(bank) -> dict:
    # The editor may leave the wording empty: a bank question brings its own.
    return {"bank_question": bank.pk, "prompt": "", "kind": "", "choices": "", "help_text": ""}


def test_a_network_editor_builds_a_survey_from_bank_questions_and_their_own(
    editor, networks, bank_questions
):
    alpha, _ = networks
    role, safe = bank_questions
    add_url = reverse("wagtailadmin_pages:add", args=["surveys", "surveypage", alpha.pk])
    assert editor.get(add_url).status_code == 200
    own = {"prompt": "How long have you worked here?", "kind": "number",
           "choices": "0-1\n2-5\n6+", "help_text": "In years.", "required": "on"}  # fmt: skip
    response = editor.post(
        add_url,
        survey_form(
            "Safe staffing survey",
            "safe-staffing",
            [bank_row(role), bank_row(safe), own],
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 302
    survey = SurveyPage.objects.get(slug="safe-staffing")
    assert survey.live and survey.get_parent().pk == alpha.pk
    assert survey.network_id == alpha.pk
    questions = list(survey.questions.order_by("sort_order"))
    assert [(q.bank_question, q.kind, q.prompt) for q in questions] == [
        (role, QuestionKind.ROLE, "I am"),
        (safe, QuestionKind.AGREEMENT, "My service is safe."),
        (None, QuestionKind.NUMBER, "How long have you worked here?"),
    ]
    page = editor.get(survey.url)
    assert page.status_code == 200
    assert "How long have you worked here?" in page.content.decode()


def test_a_question_with_neither_a_bank_question_nor_its_own_wording_is_refused(editor, networks):
    alpha, _ = networks
    add_url = reverse("wagtailadmin_pages:add", args=["surveys", "surveypage", alpha.pk])
    empty = {"bank_question": "", "prompt": "", "kind": "", "choices": "", "help_text": ""}
    response = editor.post(add_url, survey_form("Empty", "empty", [empty]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write the question, or choose one from the bank." in html
    assert "Choose what kind of question it is." in html
    assert not SurveyPage.objects.exists()


def test_a_network_editor_cannot_make_a_survey_under_another_network_or_the_hub(
    editor, networks, bank_questions, survey_index
):
    _, beta = networks
    for parent in (beta, survey_index):
        add_url = reverse("wagtailadmin_pages:add", args=["surveys", "surveypage", parent.pk])
        assert refused(editor.get(add_url)), parent
        form = survey_form("Intruder", "intruder", [bank_row(bank_questions[0])])
        assert refused(editor.post(add_url, {**form, "action-publish": "1"})), parent
    assert not SurveyPage.objects.exists()


def test_a_network_approved_later_gets_the_bank_to_choose_from(networks):
    alpha, _ = networks
    assert alpha.editors_group.permissions.filter(
        content_type__app_label="surveys", codename="view_bankquestion"
    ).exists()
    assert not alpha.editors_group.permissions.filter(
        content_type__app_label="surveys", codename__in=["add_bankquestion", "change_bankquestion"]
    ).exists()


def test_a_bulk_delete_leaves_a_bank_question_a_survey_asks(moderator):
    used, unused = BankQuestionFactory(), BankQuestionFactory()
    survey = SurveyPageFactory()
    SurveyQuestionFactory(page=survey, bank_question=used)
    survey.save_revision().publish()
    bulk = reverse("wagtail_bulk_action", args=["surveys", "bankquestion", "delete"])
    response = moderator.post(f"{bulk}?id={used.pk}&id={unused.pk}")
    assert response.status_code in (200, 302)
    assert BankQuestion.objects.filter(pk=used.pk).exists()
