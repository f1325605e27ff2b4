from django.template.loader import render_to_string


def test_a_demand_s_count_is_written_with_thousands_separators():
    html = render_to_string("campaigns/includes_count.html", {"count": 3001, "url": "/how/"})
    assert '<strong class="demand-count__number">3,001</strong> people have signed' in html


def test_one_signer_is_one_person():
    html = render_to_string("campaigns/includes_count.html", {"count": 1, "url": "/how/"})
    assert ">1</strong> person has signed" in html
