"""The charts (surveys.charts): accessible SVG, a readable PNG, and only shown figures drawn."""

import io

from PIL import Image

from surveys import charts
from surveys.results import Cell


def items():
    return charts.bars(
        [("Yes <b>", Cell(40), 80), ("No", Cell(3, hidden=True), None), ("Not sure", Cell(0), 0)]
    )


def test_the_svg_is_labelled_by_its_caption_and_escapes_every_text():
    svg = charts.svg(items(), title="Paid & unpaid", caption_id="chart-7")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="chart-7"' in svg
    assert "<title>Paid &amp; unpaid</title>" in svg
    assert "Yes &lt;b&gt;" in svg and "<b>" not in svg
    assert ">40 (80%)<" in svg and ">hidden<" in svg and ">0 (0%)<" in svg
    assert "style=" not in svg.replace("font-style=", "")


def test_a_hidden_count_has_no_bar():
    svg = charts.svg(items(), title="Q", caption_id="c")
    # The tracks of three rows, and one bar: 40 is drawn, 3 is hidden and 0 has none.
    assert svg.count('fill="#f3f0ea"') == 3
    assert svg.count(f'fill="{charts.BAR}"') == 1


def test_a_standalone_svg_carries_its_title():
    svg = charts.svg(items(), title="Paid", caption_id="title", standalone=True)
    assert '<text id="title"' in svg and ">Paid</text>" in svg


def test_the_png_is_1200_pixels_wide_and_grows_with_its_title():
    short = Image.open(io.BytesIO(charts.png(items(), title="Q", note="Hidden: fewer than 10")))
    long = Image.open(
        io.BytesIO(charts.png(items(), title="A long question " * 10, note="Hidden: fewer"))
    )
    assert short.width == long.width == 1200
    assert long.height > short.height
