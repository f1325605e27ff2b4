"""Pooled results: totals across published, closed surveys over the bank questions they share;
a network's column only where it shared, never one that the totals would give away."""

import datetime

import pytest
from django.utils import timezone

from networks.factories import NetworkPageFactory
from surveys.factories import BankQuestionFactory, SurveyIndexPageFactory, SurveyQuestionFactory
from surveys.models import PooledResultsPage, PooledSurvey
from surveys.pooling import build_pooled_results, columns
from surveys.questions import QuestionKind

from .results_seed import SECRET, closed_survey, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return BankQuestionFactory(
        slug="paid-cpd", prompt="Are you paid for CPD?", kind=QuestionKind.SINGLE, choices="Yes\nNo"
    )


def network_survey(name, bank, *, yes, no, shares=True, **kwargs):
    survey = closed_survey(parent=NetworkPageFactory(title=name), share_in_pools=shares, **kwargs)
    question = SurveyQuestionFactory(page=survey, bank_question=bank)
    story = SurveyQuestionFactory(page=survey, kind=QuestionKind.TEXT, choices="")
    respond(survey, yes, answers={question: "yes", story: SECRET})
    respond(survey, no, answers={question: "no"})
    return survey


def pooled_page(*surveys, slug="pooled", **kwargs):
    index = SurveyIndexPageFactory()
    page = PooledResultsPage(title="Pooled", slug=slug, min_cell_size=10, **kwargs)
    index.add_child(instance=page)
    for n, survey in enumerate(surveys):
        PooledSurvey.objects.create(page=page, survey=survey, sort_order=n)
    return page


def only(pooled):
    [(slug, result)] = pooled.questions
    return slug, result


def test_totals_across_surveys_and_a_column_for_each_that_shares(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    slug, result = only(build_pooled_results(pooled_page(a, b)))
    assert slug == "paid-cpd"
    assert result.answered.count == 77
    assert {v: c.shown for v, c in result.counts.items()} == {"yes": 32, "no": 45}
    [by_network] = result.breakdowns
    assert [label for _, label in by_network.groups] == ["Nurses", "Counsellors"]
    assert by_network.cells[str(b.pk), "yes"].shown == 12


def test_exactly_one_survey_not_sharing_means_no_network_columns(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    c = network_survey("Social workers", bank, yes=11, no=11, shares=False)
    pooled = build_pooled_results(pooled_page(a, b, c))
    _, result = only(pooled)
    assert result.answered.count == 99  # counted in the totals all the same
    assert result.breakdowns == [] and not pooled.network_columns


def test_two_surveys_not_sharing_are_one_other_networks_column(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30, shares=False)
    c = network_survey("Social workers", bank, yes=11, no=11, shares=False)
    pooled = build_pooled_results(pooled_page(a, b, c))
    _, result = only(pooled)
    [by_network] = result.breakdowns
    assert [label for _, label in by_network.groups] == ["Nurses", "Other networks"]
    assert by_network.cells["other", "yes"].shown == 23
    assert pooled.other_column


def test_a_small_column_is_hidden_with_another_in_each_row(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    small = network_survey("Carers", bank, yes=2, no=3)
    _, result = only(build_pooled_results(pooled_page(a, b, small)))
    [by_network] = result.breakdowns
    assert by_network.answered[str(small.pk)].hidden
    for value in ("yes", "no"):
        row = [by_network.cells[g, value] for g, _ in by_network.groups]
        hidden = [cell for cell in row if cell.hidden]
        assert len(hidden) >= 2 and sum(cell.count for cell in hidden) >= 10


def test_only_published_closed_surveys_count(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    open_now = network_survey(
        "Open", bank, yes=40, no=40, closes_at=timezone.now() + datetime.timedelta(days=3)
    )
    unpublished = network_survey("Unpublished", bank, yes=40, no=40, publish_results=False)
    pooled = build_pooled_results(pooled_page(a, b, open_now, unpublished))
    assert [note.network for note in pooled.surveys] == ["Nurses", "Counsellors"]
    assert only(pooled)[1].answered.count == 77


def test_a_bank_question_asked_by_one_survey_only_is_not_pooled_unless_chosen(bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    alone = BankQuestionFactory(slug="alone", kind=QuestionKind.AGREEMENT)
    SurveyQuestionFactory(page=a, bank_question=alone)
    page = pooled_page(a, b)
    assert [slug for slug, _ in build_pooled_results(page).questions] == ["paid-cpd"]
    page.bank_questions.set([alone])
    assert [slug for slug, _ in build_pooled_results(page).questions] == ["alone"]


def test_the_smallest_number_is_the_largest_any_survey_asked_for(bank):
    a = network_survey("Nurses", bank, yes=20, no=15, min_cell_size=25)
    b = network_survey("Counsellors", bank, yes=12, no=30)
    pooled = build_pooled_results(pooled_page(a, b))
    assert pooled.min_size == 25
    assert only(pooled)[1].breakdowns[0].cells[str(b.pk), "yes"].hidden


def test_columns_rule():
    class S:
        def __init__(self, pk, shares):
            self.pk, self.share_in_pools, self.network_id, self.title = pk, shares, None, "S"

    assert columns([S(1, True), S(2, False)])[0] == []
    groups, _, other = columns([S(1, True), S(2, False), S(3, False)])
    assert [g for g, _ in groups] == ["1", "other"] and other
    assert [g for g, _ in columns([S(1, True), S(2, True)])[0]] == ["1", "2"]


def test_the_page_csv_and_chart_publish_the_pooled_figures_and_a_note_of_method(client, bank):
    a = network_survey("Nurses", bank, yes=20, no=15)
    b = network_survey("Counsellors", bank, yes=3, no=4)
    page = pooled_page(a, b)
    body = client.get(page.url).content.decode()
    assert SECRET not in body
    assert "Note of method" in body and "Nurses" in body and a.url in body
    assert ">35<" in body  # Nurses' responses; the Counsellors' 7 are hidden
    assert ">7<" not in body
    assert 'role="img"' in body
    csv_body = client.get(f"{page.url}results.csv").content.decode()
    # The Counsellors' own page hides their 3 and 4, which the totals less the Nurses' own 20
    # and 15 would give.
    assert "Are you paid for CPD?,all,all,Yes,hidden" in csv_body and SECRET not in csv_body
    assert "Are you paid for CPD?,all,all,answered,42" in csv_body
    assert client.get(f"{page.url}results/paid-cpd.svg").status_code == 200
    assert client.get(f"{page.url}results/paid-cpd.png").status_code == 200
    assert client.get(f"{page.url}results/paid-cpd.gif").status_code == 404
    assert client.get(f"{page.url}results/nothing.svg").status_code == 404


def test_the_pooled_page_takes_the_same_queries_however_many_surveys(
    client, bank, django_assert_max_num_queries
):
    from django.core.cache import cache

    surveys = [network_survey(f"Network {n}", bank, yes=12, no=10) for n in range(2)]
    page = pooled_page(*surveys)
    with django_assert_max_num_queries(40) as few:
        assert client.get(page.url).status_code == 200
    for n in range(3):
        PooledSurvey.objects.create(
            page=page, survey=network_survey(f"More {n}", bank, yes=30, no=30), sort_order=9 + n
        )
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page.url).status_code == 200


def test_a_total_that_would_give_away_a_count_a_survey_s_own_page_hides_is_hidden(bank):
    a = network_survey("Nurses", bank, yes=20, no=15, shares=False)
    b = network_survey("Counsellors", bank, yes=3, no=30, shares=False)
    _, result = only(build_pooled_results(pooled_page(a, b)))
    # 23 less the Nurses' 20, both shown on the Nurses' page, would be the Counsellors' 3.
    assert result.counts["yes"].hidden and result.counts["no"].hidden
    c = network_survey("Social workers", bank, yes=8, no=30, shares=False)
    _, result = only(build_pooled_results(pooled_page(a, b, c, slug="three")))
    # Two hidden counts, 3 and 8, add up to 11: the total no longer tells either.
    assert result.counts["yes"].shown == 31
