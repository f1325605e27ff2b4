"""Every allauth page a visitor or a member can reach is one of the site's own pages: its layout
and header, and headings, labels and buttons in sentence case, in the site's words."""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import allauth.urls
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import URLResolver, reverse
from django.utils import translation
from wagtail.models import Site

from hub.adapters import AccountAdapter
from hub.factories import UserFactory
from hub.models import SiteSettings
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"
# Routes that take arguments, with a sample that does not match anything: allauth's answer to a
# link that does not work is a page too. A new route with arguments fails until it is added here.
SAMPLE_KWARGS = {
    "account_confirm_email": {"key": "no-such-key"},
    "account_reset_password_from_key": {"uidb36": "1", "key": "no-such-key"},
}
# The elements whose words are the site's voice: sentence case in each of their text pieces.
VOICED = {"title", "h1", "h2", "h3", "label", "legend", "button", "summary", "th"}


def allauth_route_names(patterns=None):
    """Every named route of allauth's URLconf, as this configuration builds it."""
    for pattern in allauth.urls.urlpatterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from allauth_route_names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name, bool(pattern.pattern.regex.groupindex)


ROUTES = sorted(allauth_route_names())


class VoicedText(HTMLParser):
    """The text pieces inside the VOICED elements, and every h1 of the page."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.pieces: list[str] = []
        self.h1s: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOICED or (tag == "a" and "button" in (dict(attrs).get("class") or "")):
            self.open.append(tag)
            if tag == "h1":
                self.h1s.append("")

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.open and data.strip():
            self.pieces.append(" ".join(data.split()))
            if "h1" in self.open:
                self.h1s[-1] += data


def proper_words() -> set[str]:
    """The site's names, which are capitalised wherever they stand."""
    names = f"{settings.SITE_NAME} {SiteSettings.for_site(Site.objects.get()).name}"
    return set(names.split()) | {"I"}


def not_sentence_case(text: str, proper: set[str]) -> list[str]:
    """The words of `text` capitalised inside a sentence (names and acronyms aside)."""
    offenders = []
    for sentence in re.split(r"(?<=[.:!?·])\s+", text.strip()):
        words = re.findall(r"[^\W\d_][\w'’-]*", sentence)
        offenders += [
            word for word in words[1:] if word[0].isupper() and not word.isupper()
            and word not in proper
        ]  # fmt: skip
    return offenders


def assert_a_site_page_in_sentence_case(response):
    assert response.status_code < 500
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="skip-link"' in html, "the site's layout"
    parsed = VoicedText()
    parsed.feed(html)
    assert len(parsed.h1s) == 1, parsed.h1s
    assert parsed.h1s[0].strip()
    proper = proper_words()
    capitalised = {piece: not_sentence_case(piece, proper) for piece in parsed.pieces}
    assert {piece: words for piece, words in capitalised.items() if words} == {}


@pytest.fixture
def member(db):
    user = UserFactory(email="member@example.org")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False)
    return user


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
@pytest.mark.parametrize(("name", "takes_arguments"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_allauth_page_is_a_site_page_in_sentence_case(
    client, member, name, takes_arguments, signed_in
):
    if signed_in:
        client.force_login(member)
    kwargs = SAMPLE_KWARGS[name] if takes_arguments else {}
    assert_a_site_page_in_sentence_case(client.get(reverse(name, kwargs=kwargs), follow=True))


def link_in_last_email(path: str) -> str:
    return re.search(rf"http://testserver({path}[^\s]+/)", mail.outbox[-1].body).group(1)


def a_good_reset_link(client, capture, member):
    with capture(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    return client.get(link_in_last_email("/accounts/password/reset/key/"), follow=True)


def a_good_confirmation_link(client, capture, member):
    with capture(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    return client.get(link_in_last_email("/accounts/confirm-email/"))


def setting_a_first_password(client, capture, member):
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    return client.get(reverse("account_set_password"))


@pytest.mark.parametrize(
    "reach", [a_good_reset_link, a_good_confirmation_link, setting_a_first_password]
)
def test_the_pages_behind_a_good_link_or_a_state_are_site_pages_too(
    client, django_capture_on_commit_callbacks, member, reach
):
    response = reach(client, django_capture_on_commit_callbacks, member)
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert_a_site_page_in_sentence_case(response)


class ClosedAdapter(AccountAdapter):
    """The site with joining closed, as an operator could configure it."""

    def is_open_for_signup(self, request):
        return False


def test_joining_closed_is_a_site_page_too(client, settings):
    settings.ACCOUNT_ADAPTER = f"{__name__}.ClosedAdapter"
    response = client.get(reverse("account_signup"))
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    assert_a_site_page_in_sentence_case(response)


ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
TRANSLATED = re.compile(
    r"""{%\s*(?:trans|translate)\s+(["'])(?P<plain>.*?)\1"""
    r"""(?:\s+context\s+(["'])(?P<context>.*?)\3)?\s*%}"""
    r"|{%\s*(?:blocktrans|blocktranslate)\b(?P<options>[^%]*)%}(?P<block>.*?)"
    r"{%\s*end(?:blocktrans|blocktranslate)\s*%}",
    re.S,
)


def allauth_account_strings():
    """(template, context, message id) for every string of allauth's account templates that
    we do not replace with a template of our own."""
    for path in sorted((ALLAUTH_TEMPLATES / "account").rglob("*.*")):
        relative = path.relative_to(ALLAUTH_TEMPLATES)
        if (ROOT / "templates" / relative).exists():
            continue
        for match in TRANSLATED.finditer(path.read_text()):
            if match["plain"] is not None:
                yield str(relative), match["context"], match["plain"]
            else:
                block = match["block"]
                if "trimmed" in match["options"]:
                    block = " ".join(block.split())
                context = re.search(r"""context\s+(["'])(.*?)\1""", match["options"])
                message = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", block)
                yield str(relative), context and context[2], message


def test_allauths_words_are_in_sentence_case_in_our_catalog():
    """Its strings on the pages and in the emails we do not replace, on features we use or not,
    so that switching one on does not bring its title case with it."""
    capitalised = []
    with translation.override(settings.LANGUAGE_CODE):
        for template, context, message in allauth_account_strings():
            text = (
                translation.pgettext(context, message) if context else translation.gettext(message)
            )
            text = re.sub(r"<[^>]+>", " ", re.sub(r"%\(\w+\)s", "x", text))
            if not_sentence_case(text, {"I", "IP"}):
                capitalised.append((template, message))
    assert capitalised == [], "add these to locale/en_GB/LC_MESSAGES/django.po"
