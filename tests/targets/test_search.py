"""Site search finds targets by name, above the pages, and demands by their targets' names."""

import pytest
from django.core.management import call_command

from targets.factories import TargetFactory

from .conftest import addressed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def search(client, query: str, **params) -> str:
    response = client.get("/search/", {"query": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_target_is_found_by_name_above_the_pages(client, target):
    TargetFactory(name="UK Council for Psychotherapy", slug="ukcp")
    addressed(target, title="Cap daily caseloads", ask="Set safe caps.")
    call_command("update_index", stdout=None)
    html = search(client, "England")
    assert "2 results for “England”" in html
    found = html.split('<ol class="search-results">')[1]
    assert found.index('href="/targets/nhs-england/">NHS England</a>') < found.index(
        "Cap daily caseloads"
    )
    assert '<span class="search-result__kind">Target</span>' in found
    assert "Leads the NHS in England." in found
    assert "UK Council" not in found


def test_targets_show_on_the_first_page_of_results_only(client, target):
    for number in range(11):
        addressed(target, title=f"Demand {number} for NHS England")
    call_command("update_index", stdout=None)
    assert "/targets/nhs-england/" in search(client, "England")
    assert "/targets/nhs-england/" not in search(client, "England", page=2)


def test_no_target_matches_says_nothing_matched(client, target):
    call_command("update_index", stdout=None)
    assert "Nothing matched your search." in search(client, "Zanzibar")
