"""UK postcodes: validation, the outward code we keep, and the region a postcode area lies in."""

import re

from django.core.exceptions import ValidationError

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_AREA = re.compile(r"^[A-Z]{1,2}")

# Postcode areas by region. An area that crosses a border is put where most of it lies, so the
# regional breakdown is approximate at the edges (said on the "how we count" page).
_AREAS_BY_REGION = {
    "north-east": "DH DL NE SR TS",
    "north-west": "BB BL CA CH CW FY L LA M OL PR SK WA WN",
    "yorkshire-and-the-humber": "BD DN HD HG HU HX LS S WF YO",
    "east-midlands": "DE LE LN NG NN",
    "west-midlands": "B CV DY HR ST SY TF WR WS WV",
    "east-of-england": "AL CB CM CO EN IP LU NR PE SG SS",
    "london": "E EC N NW SE SW W WC BR CR HA IG RM SM TW UB",
    "south-east": "BN CT DA GU HP KT ME MK OX PO RG RH SL SO TN",
    "south-west": "BA BH BS DT EX GL PL SN SP TA TQ TR",
    "scotland": "AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE",
    "wales": "CF LD LL NP SA",
    "northern-ireland": "BT",
}
AREA_REGION = {area: region for region, areas in _AREAS_BY_REGION.items() for area in areas.split()}


def postcode_outward(value: str) -> str:
    """The outward code ("SW1A") of a full UK postcode or of an outward code given alone.

    Raises ValidationError for anything else; the inward part is dropped, never stored.
    """
    compact = re.sub(r"\s+", "", value).upper()
    if compact == "GIR0AA":
        return "GIR"
    full = _FULL.match(compact)
    if full:
        return full.group(1)
    if _OUTWARD.match(compact):
        return compact
    raise ValidationError("Enter a UK postcode, such as SW1A 1AA, or just its first half.")


def postcode_region(outward: str) -> str:
    """The region slug (hub.regions) of an outward code's area, or "" when unknown."""
    area = _AREA.match(outward)
    return AREA_REGION.get(area.group(0), "") if area else ""
