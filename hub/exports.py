"""CSV exports that spreadsheets open as text: no cell of a person's data runs as a formula."""

import csv

from django.urls import path
from django.utils import timezone
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_minutes(value) -> str:
    """A time as people here read it: local, to the minute (Wagtail writes UTC to the
    microsecond)."""
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


class SpreadsheetSafeWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, cells) -> None:
        self._writer.writerow([csv_cell(cell) for cell in cells])


class SpreadsheetSafeExportMixin:
    """For a Wagtail listing with `list_export`: every CSV cell goes through `csv_cell`.

    Wagtail writes CSV cells as they are (its XLSX export already stores formulas as text).
    The escaping follows Wagtail's own conversion, so a related row's title is escaped too."""

    def write_csv_row(self, writer, row_dict):
        cells = {}
        for field, value in row_dict.items():
            value = self.preprocess_field_value(field, value, self.FORMAT_CSV)
            cells[field] = csv_cell(value) if isinstance(value, str) else value
        return writer.writerow(cells)


class SpreadsheetSafeSnippetIndexView(SpreadsheetSafeExportMixin, SnippetIndexView):
    pass


class SpreadsheetSafeIndexView(SpreadsheetSafeExportMixin, IndexView):
    pass


class SpreadsheetSafeRecordsViewSet(ModelViewSet):
    """Records the admin lists, filters, inspects and exports, but never adds, edits or deletes:
    the site's own flows write them. Only those views are routed."""

    index_view_class = SpreadsheetSafeIndexView
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]
