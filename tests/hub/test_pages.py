import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from hub.factories import ContentPageFactory
from hub.models import ContentPage, HomePage


@pytest.mark.postgres
def test_search_uses_the_postgresql_backend():
    from wagtail.search.backends import get_search_backend

    assert type(get_search_backend()).__name__ == "PostgresSearchBackend"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{}, {"query": ""}, {"query": "x" * 5000}, {"query": "iapt", "page": "abc"},
               {"query": "iapt", "page": "-1"}, {"query": "<script>alert(1)</script>"},
               {"query": "\x00"}, {"query": "ia\x00pt"}],
)  # fmt: skip
def test_search_handles_odd_input_without_error(client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.django_db
def test_search_with_no_results_says_so(client):
    response = client.get("/search/", {"query": "zzzznothing"})
    assert "Nothing matched your search." in response.content.decode()


@pytest.mark.django_db
def test_page_tree_rules():
    assert HomePage.max_count == 1
    assert ContentPage.parent_page_types == ["hub.HomePage", "hub.ContentPage"]
    home = HomePage.objects.get()
    assert ContentPage.can_create_at(home)
    assert not HomePage.can_create_at(home)


@pytest.mark.django_db
def test_healthz_answers_without_a_known_host(client):
    response = client.get("/healthz/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_menu_lists_live_pages_marked_for_menus_and_marks_the_current_one(client):
    home = HomePage.objects.get()
    about = ContentPageFactory(parent=home, title="About us", show_in_menus=True)
    ContentPageFactory(parent=home, title="Hidden page", show_in_menus=False)
    html = client.get(about.url).content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert "About us" in nav
    assert "Hidden page" not in nav
    assert nav.count('aria-current="page"') == 1
    assert '<a href="/pledges/">Pledges</a>' in nav


@pytest.mark.django_db
def test_menu_links_to_the_routes_that_are_not_pages_and_marks_the_current_one(client):
    html = client.get("/pledges/").content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert '<a href="/pledges/" aria-current="page">Pledges</a>' in nav


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["topics", "search", "preferences", "accounts"])
def test_a_top_level_page_cannot_take_a_slug_the_site_routes_itself(admin_client, slug):
    home = HomePage.objects.get()
    add_url = reverse("wagtailadmin_pages:add", args=["hub", "contentpage", home.pk])

    def content_page(slug):
        return nested_form_data(
            {"title": "About us", "slug": slug, "intro": "", "body": streamfield([]),
             "comments": inline_formset([])}
        )  # fmt: skip

    response = admin_client.post(add_url, content_page(slug))
    assert response.status_code == 200
    assert "is taken by the site itself" in response.content.decode()
    assert not ContentPage.objects.filter(slug=slug).exists()

    assert admin_client.post(add_url, content_page(f"{slug}-page")).status_code == 302
    parent = ContentPage.objects.get(slug=f"{slug}-page")
    nested_url = reverse("wagtailadmin_pages:add", args=["hub", "contentpage", parent.pk])
    assert admin_client.post(nested_url, content_page(slug)).status_code == 302, "only at the top"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "model"), [("events", "eventindexpage"), ("campaigns", "demandindexpage")]
)
def test_an_index_page_cannot_take_a_root_prefix_of_the_site(admin_client, app, model):
    add_url = reverse("wagtailadmin_pages:add", args=[app, model, HomePage.objects.get().pk])

    def index_page(slug):
        return nested_form_data(
            {"title": "Index", "slug": slug, "intro": rich_text(""), "comments": inline_formset([])}
        )

    for slug in ["event-links", "signatures"]:
        response = admin_client.post(add_url, index_page(slug))
        assert "is taken by the site itself" in response.content.decode(), slug
    assert admin_client.post(add_url, index_page("index")).status_code == 302


class TestDemoSite:
    """On the demo site, seeded once for the class."""

    @pytest.mark.postgres
    def test_home_page_renders_the_demo_content(self, client, demo_site_shared):
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mental-health networks, organising together" in html
        assert 'href="#main"' in html, "skip link"
        assert '<main id="main"' in html
        assert "https://" not in html.split("<body")[0], "no assets from other sites in the head"

    @pytest.mark.postgres
    def test_search_finds_pages_on_postgres(self, client, demo_site_shared):
        call_command("update_index", stdout=None)
        response = client.get("/search/", {"query": "counting"})
        assert response.status_code == 200
        assert "How we count" in response.content.decode()

    @pytest.mark.django_db
    def test_content_pages_and_404(self, client, demo_site_shared):
        for page in ContentPage.objects.live():
            assert client.get(page.url).status_code == 200
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    @pytest.mark.django_db
    def test_every_page_of_the_demo_site_renders(self, client, demo_site_shared):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        assert pages.count() >= 4
        for page in pages:
            assert client.get(page.url).status_code == 200, page.url

    @pytest.mark.django_db
    def test_sitemap_lists_live_pages_and_robots_points_at_it(self, client, demo_site_shared):
        sitemap = client.get("/sitemap.xml").content.decode()
        assert "/how-we-count/" in sitemap
        robots = client.get("/robots.txt")
        assert robots["Content-Type"] == "text/plain"
        assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
        assert "Disallow: /admin/" in robots.content.decode()
