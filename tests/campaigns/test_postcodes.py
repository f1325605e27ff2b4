import pytest
from django.core.exceptions import ValidationError

from campaigns.postcodes import postcode_outward, postcode_region


@pytest.mark.parametrize(
    ("given", "outward", "region"),
    [
        ("SW1A 1AA", "SW1A", "london"),
        ("sw1a1aa", "SW1A", "london"),
        ("  M1 1AE ", "M1", "north-west"),
        ("EH1 1YZ", "EH1", "scotland"),
        ("CF10 1EP", "CF10", "wales"),
        ("BT1 5GS", "BT1", "northern-ireland"),
        ("LS1", "LS1", "yorkshire-and-the-humber"),
        ("GIR 0AA", "GIR", ""),
        ("JE2 3AB", "JE2", ""),
    ],
)
def test_a_uk_postcode_keeps_only_its_outward_code_and_finds_its_region(given, outward, region):
    assert postcode_outward(given) == outward
    assert postcode_region(outward) == region


@pytest.mark.parametrize("given", ["", "XXX", "12345", "SW1A 1AAA", "1AA SW1", "SW1A-1AA", "Q"])
def test_anything_else_is_refused(given):
    with pytest.raises(ValidationError):
        postcode_outward(given)
