"""Suppression (surveys.results), from counts alone: no published figure is below N, and none
that is hidden can be worked out from the figures shown."""

import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.questions import QuestionKind
from surveys.results import NOT_SAID, Counts, csv_rows, hidden_key, question_result

CATEGORIES = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]
ROLES = [("worker", "Worker"), ("service-user", "Service user"), ("carer", "Carer"), NOT_SAID]


def one_way(counts, *, n=10, kind=QuestionKind.SINGLE, answered=None, categories=CATEGORIES):
    return question_result(
        question_id=1,
        prompt="Q",
        kind=kind,
        categories=categories,
        counts=Counts(
            counts=dict(zip([v for v, _ in categories], counts, strict=False)),
            answered=sum(counts) if answered is None else answered,
        ),
        breakdowns=[],
        min_size=n,
    )


def crossed(grid, *, n=10, kind=QuestionKind.SINGLE, groups=ROLES, name="role", answered=None):
    """`grid[category][group]` people; a single-choice question unless `answered` says how many
    people answered each group."""
    values = [v for v, _ in CATEGORIES]
    group_values = [g for g, _ in groups]
    by_group = {
        (g, v): grid[i][j] for i, v in enumerate(values) for j, g in enumerate(group_values)
    }
    answered_by = answered or {
        g: sum(grid[i][j] for i in range(len(values))) for j, g in enumerate(group_values)
    }
    return question_result(
        question_id=1,
        prompt="Q",
        kind=kind,
        categories=CATEGORIES,
        counts=Counts(
            counts={v: sum(grid[i]) for i, v in enumerate(values)},
            answered=sum(answered_by.values()),
            by_group={name: by_group},
            answered_by_group={name: answered_by},
        ),
        breakdowns=[(name, "By " + name, groups)],
        min_size=n,
    )


def shown(result):
    return [cell.shown for cell in result.counts.values()]


def assert_safe(result):
    """In every additive line where anything is hidden, at least two cells are hidden and they
    add up to at least N, or every cell is hidden: no hidden cell is a total less the rest."""
    n = result.min_size
    for cells, total in result.lines():
        hidden = [cell for cell in cells if cell.hidden]
        if not hidden and not total.hidden:
            continue
        if not total.hidden and total.count == 0:
            continue
        assert len(hidden) == len(cells) or (
            len(hidden) >= 2 and sum(cell.count for cell in hidden) >= n
        ), ([c.count for c in cells], [c.hidden for c in cells], total.count, total.hidden)
    for cell in result.cells():
        assert cell.hidden or cell.count == 0 or cell.count >= n


@pytest.mark.parametrize(("count", "hidden"), [(9, True), (10, False), (11, False)])
def test_a_count_is_hidden_below_n_and_shown_from_n(count, hidden):
    result = one_way([count, 40, 50])
    assert result.counts["yes"].hidden is hidden
    if hidden:
        # The next smallest goes with it, or 9 would be 99 less 40 and 50.
        assert shown(result) == [None, None, 50]
    else:
        assert shown(result) == [count, 40, 50]


@pytest.mark.parametrize(("answered", "shown_at_all"), [(9, False), (10, True), (11, True)])
def test_a_question_fewer_than_n_answered_is_hidden_whole(answered, shown_at_all):
    result = one_way([answered, 0, 0])
    assert result.shown is shown_at_all
    assert result.answered.hidden is not shown_at_all
    assert (result.counts["yes"].shown == answered) is shown_at_all


def test_zero_is_shown_as_zero():
    assert shown(one_way([0, 12, 30])) == [0, 12, 30]


def test_the_minimum_is_never_below_five():
    result = one_way([4, 20, 20], n=2)
    assert result.min_size == 5
    assert result.counts["yes"].hidden


def test_complementary_cells_add_up_to_n():
    # 3 and 4 hidden together add up to 7, below 10: a third must go, or both are known small.
    result = one_way([3, 4, 30, 40], categories=[*CATEGORIES, ("maybe", "Maybe")])
    assert [c.hidden for c in result.counts.values()] == [True, True, True, False]
    assert_safe(result)


def test_the_marker_is_the_same_for_primary_and_complementary_cells():
    result = one_way([3, 40, 50])
    rows = csv_rows(result)
    assert [row[-1] for row in rows] == ["hidden", "hidden", "50", "93"]
    assert "fewer than 10" in hidden_key(10) and "worked out" in hidden_key(10)


def test_percentages_only_for_shown_cells():
    result = one_way([3, 40, 50])
    assert [percent for _, _, percent in result.rows()] == [None, None, 54]


def test_a_small_group_s_column_is_hidden_whole():
    # 6 carers answered, every cell of theirs is hidden, and in each row another group's cell
    # goes too, or the carers' would be the row's total less the others.
    grid = [[20, 15, 0, 0], [10, 15, 6, 0], [12, 11, 0, 0]]
    result = crossed(grid)
    breakdown = result.breakdowns[0]
    assert [g for g, _ in breakdown.groups] == ["worker", "service-user", "carer"]
    assert all(breakdown.cells["carer", v].hidden for v, _ in CATEGORIES)
    assert breakdown.answered["carer"].hidden
    for value, _ in CATEGORIES:
        row = [breakdown.cells[g, value] for g, _ in breakdown.groups]
        assert sum(cell.hidden for cell in row) >= 2
    assert_safe(result)


def test_a_group_nobody_in_it_answered_has_no_column():
    grid = [[20, 15, 0, 0], [10, 15, 0, 0], [12, 11, 0, 0]]
    result = crossed(grid)
    assert [g for g, _ in result.breakdowns[0].groups] == ["worker", "service-user"]


def test_complementary_by_role_reaches_the_one_way_table():
    # A worker cell of 4: in its column the next smallest goes; in its row too, and the
    # one-way counts are the rows' totals, so they are suppressed with them where needed.
    grid = [[4, 30, 0, 0], [30, 30, 0, 0], [30, 30, 0, 0]]
    result = crossed(grid)
    assert result.breakdowns[0].cells["worker", "yes"].hidden
    assert_safe(result)
    # Each row's total is the one-way count: both share the Cell, so what one hides the other
    # hides.
    assert result.breakdowns[0].answered["worker"].count == 64


def test_complementary_by_region():
    regions = [("london", "London"), ("wales", "Wales"), ("scotland", "Scotland"), NOT_SAID]
    grid = [[25, 12, 3, 0], [25, 12, 12, 0], [25, 12, 12, 0]]
    result = crossed(grid, groups=regions, name="region")
    breakdown = result.breakdowns[0]
    assert breakdown.cells["scotland", "yes"].hidden
    assert sum(breakdown.cells[g, "yes"].hidden for g, _ in breakdown.groups) >= 2
    assert_safe(result)


def test_shared_cells_across_the_one_way_table_and_both_breakdowns():
    values = [v for v, _ in CATEGORIES]
    roles = [("worker", "Worker"), ("carer", "Carer")]
    regions = [("london", "London"), ("wales", "Wales")]
    by_role = {("worker", "yes"): 30, ("carer", "yes"): 12, ("worker", "no"): 3}
    by_role |= {("carer", "no"): 0, ("worker", "unsure"): 20, ("carer", "unsure"): 20}
    by_region = {("london", "yes"): 21, ("wales", "yes"): 21, ("london", "no"): 1}
    by_region |= {("wales", "no"): 2, ("london", "unsure"): 20, ("wales", "unsure"): 20}
    counts = Counts(
        counts={"yes": 42, "no": 3, "unsure": 40},
        answered=85,
        by_group={"role": by_role, "region": by_region},
        answered_by_group={
            "role": {"worker": 53, "carer": 32},
            "region": {"london": 42, "wales": 43},
        },
    )
    result = question_result(
        question_id=1,
        prompt="Q",
        kind=QuestionKind.SINGLE,
        categories=CATEGORIES,
        counts=counts,
        breakdowns=[("role", "By role", roles), ("region", "By region", regions)],
        min_size=10,
    )
    # "No" (3) is hidden in the one-way table, so another one-way count goes with it; that
    # count is a row total in both breakdowns, whose rows are then protected in turn.
    assert result.counts["no"].hidden
    assert sum(result.counts[v].hidden for v in values) >= 2
    assert_safe(result)


def test_multiple_choice_columns_are_not_lines_but_their_rows_are():
    # People could tick several, so the choices add up to more than answered: no complementary
    # cell in the one-way table, but a small group's cell is protected in its row.
    result = one_way([3, 40, 50], kind=QuestionKind.MULTIPLE, answered=60)
    assert shown(result) == [None, 40, 50]
    grid = [[30, 6, 0, 0], [30, 30, 0, 0], [40, 30, 0, 0]]
    result = crossed(grid, kind=QuestionKind.MULTIPLE, answered={"worker": 50, "service-user": 40})
    breakdown = result.breakdowns[0]
    assert breakdown.cells["service-user", "yes"].hidden
    assert breakdown.cells["worker", "yes"].hidden  # or it is 36 less 30
    assert not breakdown.cells["service-user", "no"].hidden
    assert_safe(result)


def test_multiple_choice_fewer_than_n_answered_is_hidden_whole():
    result = one_way([9, 9, 9], kind=QuestionKind.MULTIPLE, answered=9)
    assert not result.shown


def _random_crossed(rng: random.Random, n: int):
    groups = ROLES[: rng.randint(1, 4)]
    grid = [
        [rng.choice([0, 0, 1, 2, 3, 5, 8, 9, 10, 11, 20, 40]) for _ in groups] for _ in CATEGORIES
    ]
    for row in grid:
        row.extend([0] * (len(ROLES) - len(groups)))
    return crossed(grid, n=n)


@settings(max_examples=300, deadline=None)
@given(
    grid=st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=4),
        min_size=3,
        max_size=3,
    ),
    n=st.integers(min_value=5, max_value=12),
)
def test_no_hidden_cell_can_be_worked_out_from_the_figures_shown(grid, n):
    assert_safe(crossed(grid, n=n))


def test_no_hidden_cell_can_be_worked_out_seeded():
    rng = random.Random(18)
    seen = defaultdict(int)
    for _ in range(500):
        result = _random_crossed(rng, rng.randint(5, 12))
        assert_safe(result)
        seen[any(c.hidden for c in result.cells())] += 1
    assert seen[True] and seen[False]  # both kinds of table were tried
