"""A network editor builds a survey in the page editor from two bank questions and one of their
own; three people answer it (one on a phone); the editor closes it and publishes its results;
a visitor sees them as charts, with a count too small to show hidden."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.factories import AnswerFactory, BankQuestionFactory, ResponseFactory
from surveys.models import SurveyPage
from surveys.questions import QuestionKind
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible_at_both_widths
from tests.networks.conftest import approved_network

from .test_journeys import admin_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UNPAID = "I have been asked to work unpaid hours"
OWN = "Does your service have a waiting list over 18 weeks?"


def publish(page) -> None:
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish").click()


def fill_date_time(page, selector: str, value) -> None:
    field = page.locator(selector)
    field.fill(timezone.localtime(value).strftime("%Y-%m-%d %H:%M"))
    # Wagtail's date picker opens a moment after the field takes focus, over the fields below
    # it, and stays open on Escape: wait for it, then leave the field (which closes it), or a
    # click meant for a field below lands on the picker.
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    field.press("Tab")
    expect(picker).to_have_count(0)


def choose_bank_question(page, panel, prompt: str) -> None:
    panel.get_by_role("button", name="Choose bank question").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=prompt).click()
    expect(modal).to_be_hidden()
    expect(panel.locator(".chooser__title")).to_have_text(prompt)


def answer(context, url: str, *, role: str, unpaid: str, waiting: str) -> None:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    page.get_by_role("group", name="I am").get_by_label(role).check()
    page.get_by_role("group", name=UNPAID).get_by_label(unpaid, exact=True).check()
    page.get_by_role("group", name=OWN).get_by_label(waiting, exact=True).check()
    page.get_by_label("I have read the consent statement and agree to it").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.close()


def test_an_editor_builds_a_survey_people_answer_and_a_visitor_reads_its_results(
    live_server, browser
):
    network = approved_network("Counsellors Together")
    editor = network.memberships.get().user
    BankQuestionFactory(slug="role", prompt="I am", kind=QuestionKind.ROLE)
    BankQuestionFactory(slug="unpaid-hours", prompt=UNPAID, kind=QuestionKind.AGREEMENT)
    base = live_server.url

    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(15_000)
    admin_log_in(page, base, editor.email)
    page.goto(f"{base}/admin/pages/add/surveys/surveypage/{network.pk}/")
    page.locator("#id_title").fill("Unpaid work in talking therapies")
    # The first question is there already (a survey asks at least one).
    page.get_by_role("button", name="Add question").click()
    page.get_by_role("button", name="Add question").click()
    choose_bank_question(page, page.locator("#inline_child_questions-0"), "I am")
    choose_bank_question(page, page.locator("#inline_child_questions-1"), UNPAID)
    page.locator("#id_questions-2-prompt").fill(OWN)
    page.locator("#id_questions-2-kind").select_option(label="One choice")
    page.locator("#id_questions-2-choices").fill("Yes\nNo\nNot sure")
    fill_date_time(page, "#id_opens_at", timezone.now() - timezone.timedelta(hours=1))
    fill_date_time(page, "#id_closes_at", timezone.now() + timezone.timedelta(days=14))
    page.locator("#id_consent").fill(
        "Your answers are counted with others' and published only as totals."
    )
    page.locator("#id_data_holder").fill("Counsellors Together")
    page.locator("#id_min_cell_size").fill("5")
    publish(page)
    # Creating the page takes a while when the whole suite runs (its revision, search index and
    # references): more than expect's five seconds.
    expect(
        page.get_by_text("Page 'Unpaid work in talking therapies' created and published")
    ).to_be_visible(timeout=20_000)
    survey = SurveyPage.objects.get()
    assert [q.bank_question_id is not None for q in survey.questions.all()] == [True, True, False]
    url = f"{base}{survey.url}"

    answer(
        browser.new_context(viewport=DESKTOP),
        url,
        role="A worker in the service",
        unpaid="Agree",
        waiting="Yes",
    )
    answer(
        browser.new_context(viewport=DESKTOP),
        url,
        role="A carer or family member",
        unpaid="Disagree",
        waiting="Not sure",
    )
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    answer(phone, url, role="A person who uses services", unpaid="Strongly agree", waiting="Yes")
    assert survey.responses.count() == 3
    # Others answered before these three: enough for results, with one answer given by few.
    role, unpaid, waiting = survey.questions.all()
    for waiting_value in ["yes"] * 5 + ["no"] * 5:
        response = ResponseFactory(survey=survey, role="worker")
        AnswerFactory(response=response, question=role, value="worker")
        AnswerFactory(response=response, question=unpaid, value="agree")
        AnswerFactory(response=response, question=waiting, value=waiting_value)

    page.goto(f"{base}/admin/pages/{survey.pk}/edit/")
    fill_date_time(page, "#id_closes_at", timezone.now() - timezone.timedelta(minutes=1))
    page.locator("#id_publish_results").check()
    publish(page)
    expect(page.locator("li.success")).to_contain_text("has been published", timeout=20_000)

    visitor = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(url)
    visitor.get_by_role("link", name="results").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Unpaid work")
    chart = visitor.get_by_role("img", name=OWN)
    expect(chart).to_be_visible()
    table = visitor.get_by_role("table", name=f"{OWN} (the figures)")
    expect(table.get_by_role("row", name=re.compile(r"^Yes "))).to_contain_text("7")
    expect(table.get_by_role("row", name=re.compile(r"^Not sure "))).to_contain_text("hidden")
    # One said "not sure": hidden, and so is the next smallest, or 13 less the others gives it.
    expect(table.get_by_role("row", name=re.compile(r"^No "))).to_contain_text("hidden")
    expect(visitor.get_by_text("Hidden: fewer than 5 people").first).to_be_visible()
    assert_accessible_at_both_widths(visitor)
