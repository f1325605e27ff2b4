"""Suppressed results: the tables of one counted question, from counts alone (no database).

A question has a one-way table (a count per category, and how many answered it) and, when the
survey asks people's role or region, a cross-tab per breakdown whose "all" column is the one-way
table and whose bottom margin is how many in each group answered. All of them are suppressed
together, because they share cells:

- the whole question, when fewer than N answered it;
- primary: every count from 1 to N-1 (a zero is shown as 0);
- a group's whole column, when fewer than N of that group answered;
- complementary: in every additive line (a list of cells with its total shown beside it), once
  anything in it is hidden, hide the next smallest cell until at least two are hidden and they
  add up to at least N, so no hidden cell is the total less the others; repeated until stable,
  since hiding a cell in one line can open another.

A multiple-choice question's categories do not add up (one person ticks several), so its
columns are not lines; its rows (a choice across groups) and its margin (each person is in one
group) still are.

Primary and complementary cells look the same (`Cell.hidden`), so which is which cannot be
told.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .questions import MIN_CELL_FLOOR, QuestionKind

HIDDEN = "hidden"
# Everyone without a role or region on record, so that each breakdown's groups add up to all.
NOT_SAID = ("", "Did not say")


def hidden_key(min_size: int) -> str:
    return f"Hidden: fewer than {min_size} people, or a number that would let one be worked out."


@dataclass(eq=False)
class Cell:
    count: int
    hidden: bool = False

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.count

    def as_text(self) -> str:
        return HIDDEN if self.hidden else str(self.count)

    def share_of(self, total: "Cell") -> int | None:
        """A whole percentage of `total`, only when both are shown."""
        if self.hidden or total.hidden or not total.count:
            return None
        return round(100 * self.count / total.count)


@dataclass(eq=False)
class Breakdown:
    """A question's answers by role or by region: a column per group (and the question's
    one-way counts as its "all" column)."""

    name: str
    label: str
    groups: list[tuple[str, str]]
    cells: dict[tuple[str, str], Cell]
    answered: dict[str, Cell]

    def cell(self, group: str, category: str) -> Cell:
        return self.cells[group, category]


@dataclass(eq=False)
class QuestionResult:
    question_id: int
    prompt: str
    kind: str
    additive: bool
    min_size: int
    categories: list[tuple[str, str]]
    answered: Cell
    counts: dict[str, Cell]
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """False when fewer than N answered it: nothing of it is published."""
        return not self.answered.hidden

    def rows(self):
        """(label, cell, percentage) for the one-way table."""
        return [
            (label, self.counts[value], self.counts[value].share_of(self.answered))
            for value, label in self.categories
        ]

    def breakdown_tables(self) -> list[dict]:
        """Each breakdown as rows to draw: a category's (group name, cell) pairs and its "all"
        cell, then how many of each group answered."""
        return [
            {
                "name": b.name,
                "label": b.label,
                "groups": [label for _, label in b.groups],
                # Each cell with its group's name, which a phone shows beside it (the table's
                # rows become cards there, without the column headings).
                "rows": [
                    (
                        label,
                        [(name, b.cells[g, value]) for g, name in b.groups],
                        self.counts[value],
                    )
                    for value, label in self.categories
                ],
                "answered": [(name, b.answered[g]) for g, name in b.groups],
            }
            for b in self.breakdowns
        ]

    def lines(self) -> list[tuple[list[Cell], Cell]]:
        """Every additive line of its tables: (cells, their total)."""
        lines = []
        values = [value for value, _ in self.categories]
        if self.additive:
            lines.append(([self.counts[v] for v in values], self.answered))
        for breakdown in self.breakdowns:
            groups = [group for group, _ in breakdown.groups]
            lines.append(([breakdown.answered[g] for g in groups], self.answered))
            for value in values:
                lines.append(([breakdown.cells[g, value] for g in groups], self.counts[value]))
            if self.additive:
                for g in groups:
                    lines.append(([breakdown.cells[g, v] for v in values], breakdown.answered[g]))
        return lines

    def cells(self) -> Iterable[Cell]:
        yield self.answered
        yield from self.counts.values()
        for breakdown in self.breakdowns:
            yield from breakdown.answered.values()
            yield from breakdown.cells.values()


def effective_min_size(min_size: int) -> int:
    return max(min_size, MIN_CELL_FLOOR)


def _small(count: int, min_size: int) -> bool:
    return 0 < count < min_size


def _protect(cells: list[Cell], total: Cell, min_size: int) -> bool:
    """Hide cells of one line until what is hidden cannot be worked out; True if it hid any."""
    if not total.hidden and total.count == 0:
        return False  # every cell is 0, as the total says
    hidden = [cell for cell in cells if cell.hidden]
    if not hidden and not total.hidden:
        return False
    changed = False
    while len(hidden) < 2 or sum(cell.count for cell in hidden) < min_size:
        candidates = [cell for cell in cells if not cell.hidden]
        if not candidates:
            break
        # The smallest count that is not 0, so as little as possible is hidden; a 0 only
        # when nothing else is left (a line whose other cells are all 0 shows nothing).
        pick = min(candidates, key=lambda cell: (cell.count == 0, cell.count))
        pick.hidden = True
        hidden.append(pick)
        changed = True
    return changed


def suppress(result: QuestionResult) -> QuestionResult:
    """Suppress every table of `result` together, in place, and return it."""
    n = result.min_size
    if result.answered.count < n:
        for cell in result.cells():
            cell.hidden = True
        return result
    for cell in result.cells():
        if _small(cell.count, n):
            cell.hidden = True
    for breakdown in result.breakdowns:
        for group, _ in breakdown.groups:
            if _small(breakdown.answered[group].count, n):
                breakdown.answered[group].hidden = True
                for value, _ in result.categories:
                    breakdown.cells[group, value].hidden = True
    lines = result.lines()
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            changed |= _protect(cells, total, n)
    return result


@dataclass
class Counts:
    """What surveys.tallies counts for one question, before any suppression."""

    counts: dict[str, int]
    answered: int
    # breakdown name -> (group, category) -> count, and group -> how many answered
    by_group: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    answered_by_group: dict[str, dict[str, int]] = field(default_factory=dict)


def question_result(
    *,
    question_id: int,
    prompt: str,
    kind: str,
    categories: list[tuple[str, str]],
    counts: Counts,
    breakdowns: list[tuple[str, str, list[tuple[str, str]]]],
    min_size: int,
    hide: frozenset[str] = frozenset(),
) -> QuestionResult:
    """The suppressed tables of one question. `breakdowns` are (name, label, groups); a group
    nobody in it answered is left out (its column would be all zeros). The categories in
    `hide` are hidden from the start, for what another page publishes (surveys.pooling)."""
    result = QuestionResult(
        question_id=question_id,
        prompt=prompt,
        kind=kind,
        additive=kind != QuestionKind.MULTIPLE,
        min_size=effective_min_size(min_size),
        categories=categories,
        answered=Cell(counts.answered),
        counts={
            value: Cell(counts.counts.get(value, 0), hidden=value in hide)
            for value, _ in categories
        },
    )
    for name, label, groups in breakdowns:
        answered = counts.answered_by_group.get(name, {})
        by_group = counts.by_group.get(name, {})
        present = [(group, glabel) for group, glabel in groups if answered.get(group, 0)]
        result.breakdowns.append(
            Breakdown(
                name=name,
                label=label,
                groups=present,
                answered={group: Cell(answered[group]) for group, _ in present},
                cells={
                    (group, value): Cell(by_group.get((group, value), 0))
                    for group, _ in present
                    for value, _ in categories
                },
            )
        )
    return suppress(result)


def csv_rows(result: QuestionResult) -> list[list[str]]:
    """One row per (question, breakdown, group, category), hidden cells as the marker; the
    number who answered as the category "answered"."""
    rows = []
    if not result.shown:
        return [[result.prompt, "all", "all", "answered", HIDDEN]]
    for value, label in [*result.categories, ("", "answered")]:
        cell = result.counts[value] if value else result.answered
        rows.append([result.prompt, "all", "all", label, cell.as_text()])
    for breakdown in result.breakdowns:
        for group, glabel in breakdown.groups:
            for value, label in [*result.categories, ("", "answered")]:
                cell = breakdown.cells[group, value] if value else breakdown.answered[group]
                rows.append([result.prompt, breakdown.name, glabel, label, cell.as_text()])
    return rows


def as_data(result: QuestionResult) -> dict:
    """The published figures as plain data (the API's), hidden cells as None."""
    data = {
        "question": result.prompt,
        "kind": result.kind,
        "answered": result.answered.shown,
        "counts": (
            {label: result.counts[value].shown for value, label in result.categories}
            if result.shown
            else None
        ),
    }
    if result.shown:
        data["breakdowns"] = {
            breakdown.name: {
                glabel: {
                    "answered": breakdown.answered[group].shown,
                    "counts": {
                        label: breakdown.cells[group, value].shown
                        for value, label in result.categories
                    },
                }
                for group, glabel in breakdown.groups
            }
            for breakdown in result.breakdowns
        }
    return data
