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
