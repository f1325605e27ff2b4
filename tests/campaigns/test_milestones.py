import pytest

from campaigns.milestones import milestones_parse


@pytest.mark.parametrize(
    ("text", "milestones"),
    [
        ("100,1000,10000", (100, 1000, 10000)),
        ("1000, 100 ,100", (100, 1000)),
        ("", ()),
        ("100,,", (100,)),
        ("100,lots,2.5,500", (100, 500)),
    ],
)
def test_milestones_are_distinct_whole_numbers_smallest_first_and_junk_is_skipped(text, milestones):
    assert milestones_parse(text) == milestones
