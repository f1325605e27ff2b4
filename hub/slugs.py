"""A free slug for a name: the name's slug, or with -2, -3... added until nothing holds it."""

from collections.abc import Callable

from django.utils.text import slugify

# Room for the "-N" added to a base slug cut to the field's length.
SUFFIX_ROOM = 10


def slug_free(name: str, *, taken: Callable[[str], bool], max_length: int, fallback: str) -> str:
    """`fallback` stands in for a name with no letter or digit a slug can keep."""
    base = slugify(name)[: max_length - SUFFIX_ROOM].strip("-") or fallback
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug
