"""The public target pages: every target with its record, and each target's own page."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from networks.factories import NetworkPageFactory
from targets.factories import TargetFactory
from targets.views import TARGETS_PER_PAGE

from .conftest import addressed, record

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_no_targets_yet_says_so(client):
    html = page(client, "/targets/")
    assert "<h1>Targets</h1>" in html
    assert "No targets yet." in html


def test_the_list_counts_each_target_s_demands_deliveries_answers_and_overdue(client, target):
    record(target, answered=True)
    record(target, overdue=4)
    record(target)
    addressed(target)
    addressed(target, live=False)
    quiet = TargetFactory(name="UK Council for Psychotherapy", slug="ukcp")
    html = page(client, "/targets/")
    nhs = html.split("NHS England</a>")[1].split("</article>")[0]
    assert "4 demands · 3 delivered · 1 answered · <strong>1 overdue</strong>" in nhs
    ukcp = html.split(f'href="{quiet.get_absolute_url()}"')[1].split("</article>")[0]
    assert "0 demands · 0 delivered · 0 answered</p>" in ukcp
    assert html.index("NHS England") < html.index("UK Council for Psychotherapy")
    assert '<nav class="breadcrumbs"' in html and '<span aria-current="page">Targets' in html


def test_the_list_is_paginated(client):
    TargetFactory.create_batch(TARGETS_PER_PAGE + 1)
    first = page(client, "/targets/")
    assert first.count('class="card"') == TARGETS_PER_PAGE
    assert "Page 1 of 2" in first
    assert page(client, "/targets/?page=2").count('class="card"') == 1
    assert page(client, "/targets/?page=nonsense").count('class="card"') == TARGETS_PER_PAGE


def test_a_target_with_nothing_yet_shows_each_empty_state(client, target):
    html = page(client, "/targets/nhs-england/")
    assert "<h1>NHS England</h1>" in html
    assert "Leads the NHS in England." in html
    assert 'href="https://www.england.nhs.uk/"' in html
    assert "No published demand is addressed to it yet." in html
    assert "Nothing has been delivered to it yet." in html
    assert "No response yet." in html
    assert "Overdue" not in html
    assert '<a href="/targets/">Targets</a>' in html
    assert '<span aria-current="page">NHS England</span>' in html


def test_an_unknown_target_is_not_found(client, target):
    assert client.get("/targets/no-such-body/").status_code == 404
    assert client.post("/targets/nhs-england/").status_code == 405


def test_the_target_page_shows_what_it_was_sent_answered_and_left_overdue(client, target):
    network = NetworkPageFactory(title="Talking Therapies Workers")
    sent = record(
        target, answered=True, signature_count=12500, method="in-person",
        delivered_on=dt.date(2026, 2, 2), demand=addressed(target, title="End targets"),
    )  # fmt: skip
    sent.networks.set([network, NetworkPageFactory(title="Draft network", live=False)])
    record(target, overdue=1, delivered_on=dt.date(2026, 2, 3),
           demand=addressed(target, title="Cap caseloads"))  # fmt: skip
    record(target, overdue=6, demand=addressed(target, title="Publish outcomes"))
    html = page(client, "/targets/nhs-england/")
    assert (
        "3 demands addressed to it · 3 delivered · 1 answered · <strong>2 overdue</strong>" in html
    )
    overdue = html.split('id="overdue-heading"')[1].split("</section>")[0]
    assert overdue.index("6 working days overdue") < overdue.index("1 working day overdue")
    assert "Cap caseloads</a>, delivered on 3 February 2026" in overdue
    assert "a response was expected by 2 March 2026" in overdue
    assert "End targets" not in overdue
    sent_list = html.split('id="sent-heading"')[1].split("</section>")[0]
    assert "2 February 2026" in sent_list and "Handed in person" in sent_list
    assert "12,500" in sent_list
    assert "Talking Therapies Workers" in sent_list and "Draft network" not in sent_list
    assert f'<a href="#response-{sent.pk}">Answered on 20 March 2026</a>' in sent_list
    answered = html.split('id="answered-heading"')[1].split("</section>")[0]
    assert "End targets" in answered and "We have noted your concerns." in answered
    assert "Received on 20 March 2026" in answered
    demands = html.split('id="demands-heading"')[1].split("</section>")[0]
    assert demands.count('class="card demand-card"') == 3


def test_a_draft_or_private_demand_and_its_deliveries_stay_off_the_page(client, target):
    record(target, demand=addressed(target, title="Still a draft", live=False))
    private = addressed(target, title="For members only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    record(target, demand=private, answered=True)
    html = page(client, "/targets/nhs-england/")
    assert "Still a draft" not in html and "For members only" not in html
    assert "Nothing has been delivered to it yet." in html
    assert "0 demands · 0 delivered · 0 answered" in page(client, "/targets/")


def test_the_demand_page_links_to_its_targets(client, target):
    other = TargetFactory(name="BACP", slug="bacp")
    third = TargetFactory(name="UKCP", slug="ukcp")
    demand = addressed(target, other, third)
    html = page(client, demand.url)
    assert (
        'Addressed to <a href="/targets/bacp/">BACP</a>, '
        '<a href="/targets/nhs-england/">NHS England</a> and <a href="/targets/ukcp/">UKCP</a>'
    ) in html
    assert "Addressed to" not in page(client, addressed().url)


def test_the_pages_read_as_many_queries_however_many_demands_and_deliveries(client, target):
    record(target, answered=True).networks.set([NetworkPageFactory()])
    record(target, overdue=2)
    urls = ("/targets/", "/targets/nhs-england/")
    for url in urls:  # Once first, to fill what a process reads once (content types).
        queries(client, url)
    few = {url: queries(client, url) for url in urls}
    for _ in range(4):
        record(target, answered=True).networks.set(NetworkPageFactory.create_batch(2))
        record(target, overdue=3)
        record(TargetFactory())
        addressed(target)
    assert {url: queries(client, url) for url in few} == few


def test_a_renamed_target_shows_at_once_on_cached_pages(target):
    demand = addressed(target)
    anonymous = Client()
    assert "NHS England" in page(anonymous, "/targets/nhs-england/")
    assert "NHS England" in page(anonymous, demand.url)
    target.name = "NHS England and NHS Improvement"
    target.save()
    assert "NHS England and NHS Improvement" in page(anonymous, "/targets/nhs-england/")
    assert "NHS England and NHS Improvement" in page(anonymous, demand.url)
    assert "NHS England and NHS Improvement" in page(anonymous, "/targets/")


def test_the_sitemap_lists_each_target_page(client, target):
    response = client.get("/sitemap.xml")
    assert "/targets/nhs-england/</loc>" in response.content.decode()


def test_the_demands_index_leads_to_the_targets(client, target):
    index = addressed(target).get_parent()
    assert '<a href="/targets/">Who the demands are addressed to</a>' in page(client, index.url)
