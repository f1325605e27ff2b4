"""CSV exports that spreadsheets open as text: no cell of a person's data runs as a formula."""

import csv

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SpreadsheetSafeWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, cells) -> None:
        self._writer.writerow([csv_cell(cell) for cell in cells])
