"""The accessibility check itself: clean journeys mean something only if the check can fail."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_check_fails_on_serious_and_critical_violations_and_names_them(page):
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<img src="/logo.png"><p style="color: #ddd; background: #fff">Faint text</p>'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "[critical] image-alt" in report
    assert "[serious] color-contrast" in report
    assert '<img src="/logo.png">' in report


def test_the_check_passes_a_page_with_only_minor_findings(page):
    # No main landmark is a "moderate" finding: reported by axe, but not a failure here.
    page.set_content(
        '<html lang="en"><head><title>Fine</title></head><body><h1>Fine</h1><p>Text</p></body>'
        "</html>"
    )
    assert_accessible(page)


# Wagtail 8's filter toggle with one filter on, as its admin listings render it.
WAGTAIL_FILTER_TOGGLE = (
    '<html lang="en"><head><title>Listing</title></head><body><main><h1>Listing</h1>'
    '<button type="button" class="w-dropdown__toggle w-slim-header-action-button" '
    'aria-label="Show filters" aria-expanded="false"><span class="w-drilldown__count">1</span>'
    "</button></main></body></html>"
)


def test_wagtails_filter_toggle_is_forgiven_in_the_admin_only(page):
    page.route(
        "http://site.test/**",
        lambda route: route.fulfill(content_type="text/html", body=WAGTAIL_FILTER_TOGGLE),
    )
    page.goto("http://site.test/admin/network-applications/")
    assert_accessible(page)

    page.goto("http://site.test/network-applications/")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "[serious] label-content-name-mismatch" in str(failure.value)
