"""The long select renders what Django's own select renders, without a template per option."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from hub.widgets import LongSelect, PageChoiceField
from networks.factories import NetworkPageFactory
from networks.models import NetworkPage

CHOICES = [("", "Any network"), ("a&b", "Fish & <Chips>"), ("c", "Care workers")]


@pytest.mark.parametrize("value", ["", "a&b", None])
def test_long_select_renders_like_djangos_select(value):
    attrs = {"id": "id_network", "required": True, "aria-describedby": "network_help"}
    ours = LongSelect(choices=CHOICES).render("network", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("network", value, attrs=attrs)
    assert ours == "".join(line.strip() for line in django.splitlines())
    assert "Fish &amp; &lt;Chips&gt;" in ours


@pytest.mark.django_db
def test_a_page_choice_field_offers_titles_and_validates_against_its_queryset():
    first = NetworkPageFactory(title="Alpha network")
    NetworkPageFactory(title="Beta network")

    class Form(forms.Form):
        network = PageChoiceField(
            queryset=NetworkPage.objects.order_by("title"), to_field_name="slug", required=False
        )

    html = str(Form(initial={"network": first.slug})["network"])
    assert f'<option value="{first.slug}" selected>Alpha network</option>' in html
    assert ">Beta network</option>" in html
    assert Form({"network": first.slug}).is_valid()
    bound = Form({"network": "nonesuch"})
    assert not bound.is_valid() and "network" in bound.errors


@pytest.mark.django_db
def test_records_past_64_bits_are_no_choice_on_any_database():
    from hub.models import Topic
    from hub.widgets import RecordsChoiceField

    field = RecordsChoiceField(queryset=Topic.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(2**63)])
    assert refused.value.code == "invalid_choice"
