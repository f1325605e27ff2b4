import pytest

from deliberation import selectors
from deliberation.models import Threshold


@pytest.mark.parametrize(
    ("cast", "eligible", "quorum", "met"),
    [
        (2, 4, 50, True),
        (1, 4, 50, False),
        (1, 3, 33, True),
        (1, 3, 34, False),
        (3, 3, 100, True),
        (2, 3, 100, False),
        (0, 0, 0, False),
        (0, 5, 0, True),
    ],
)
def test_quorum_is_votes_cast_over_networks_eligible(cast, eligible, quorum, met):
    assert selectors.quorum_met(cast=cast, eligible=eligible, quorum=quorum) is met


def counts(votes_for=0, against=0, abstain=0, block=0):
    return {"for": votes_for, "against": against, "abstain": abstain, "block": block}


@pytest.mark.parametrize(
    ("threshold", "tally", "met"),
    [
        (Threshold.MAJORITY, counts(3, 2), True),
        (Threshold.MAJORITY, counts(2, 2), False),
        (Threshold.MAJORITY, counts(1, 0, abstain=5), True),
        (Threshold.MAJORITY, counts(0, 0, abstain=3), False),
        (Threshold.TWO_THIRDS, counts(2, 1), True),
        (Threshold.TWO_THIRDS, counts(200, 100), True),
        (Threshold.TWO_THIRDS, counts(199, 100), False),
        (Threshold.TWO_THIRDS, counts(3, 2), False),
        (Threshold.TWO_THIRDS, counts(1, 0, abstain=9), True),
        (Threshold.TWO_THIRDS, counts(0, 0, abstain=2), False),
        (Threshold.CONSENSUS, counts(9, 0, block=1), False),
        (Threshold.CONSENSUS, counts(9, 0), True),
        (Threshold.CONSENSUS, counts(1, 1), False),
    ],
)
def test_thresholds_over_the_votes_for_and_against(threshold, tally, met):
    assert selectors.threshold_met(threshold=threshold, counts=tally) is met
