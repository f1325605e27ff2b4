from pledges.forms import KIND_CHOICES
from pledges.models import Pledger


def test_the_form_offers_every_kind_the_model_stores_and_no_other():
    stored = {value for value, _label in Pledger._meta.get_field("kind").choices}
    assert {value for value, _label in KIND_CHOICES} == stored
