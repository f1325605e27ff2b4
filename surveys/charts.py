"""Bar charts of a question's published counts: inline SVG for the page (and its download), PNG
for a network's own infographics. Both draw only the suppressed figures: a hidden count has no
bar, just the marker."""

import io
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

from .results import HIDDEN, Cell

INK = "#1d1b22"
MUTED = "#55505e"
BAR = "#5b2a86"
TRACK = "#f3f0ea"
PAPER = "#fdfcfa"


@dataclass
class Bar:
    label: str
    cell: Cell
    percent: int | None

    @property
    def text(self) -> str:
        if self.cell.hidden:
            return HIDDEN
        return (
            f"{self.cell.count} ({self.percent}%)"
            if self.percent is not None
            else str(self.cell.count)
        )


def bars(rows) -> list[Bar]:
    return [Bar(label, cell, percent) for label, cell, percent in rows]


def _widths(items: list[Bar]) -> list[float]:
    # Bars are drawn against the largest shown count, so a hidden one tells nothing by its
    # absence of length.
    top = max((b.cell.count for b in items if not b.cell.hidden), default=0)
    return [0.0 if b.cell.hidden or not top else b.cell.count / top for b in items]


def svg(items: list[Bar], *, title: str, caption_id: str, standalone: bool = False) -> str:
    """An SVG of horizontal bars, a label above each; `caption_id` names the element (on the
    page, the figure's caption) that labels it."""
    # On the page, narrow enough that scaled to a phone's width its text stays about 13 px;
    # a download is drawn wider, for its title.
    width, bar_width = (640, 460) if standalone else (400, 290)
    left, row = 4, 52
    height = row * len(items) + (40 if standalone else 8)
    top = 40 if standalone else 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby={quoteattr(caption_id)} '
        f'font-family="system-ui, sans-serif" font-size="15">'
    ]
    if standalone:
        parts.append(
            f'<rect width="{width}" height="{height}" fill="{PAPER}"/>'
            f'<text id={quoteattr(caption_id)} x="{left}" y="26" font-size="18" '
            f'font-weight="bold" fill="{INK}">{escape(title)}</text>'
        )
    else:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (item, share) in enumerate(zip(items, _widths(items), strict=True)):
        y = top + index * row
        parts.append(
            f'<text x="{left}" y="{y + 16}" fill="{INK}">{escape(item.label)}</text>'
            f'<rect x="{left}" y="{y + 24}" width="{bar_width}" height="18" fill="{TRACK}"/>'
        )
        if share:
            parts.append(
                f'<rect x="{left}" y="{y + 24}" width="{max(share * bar_width, 2):.1f}" '
                f'height="18" fill="{BAR}"/>'
            )
        colour = MUTED if item.cell.hidden else INK
        style = ' font-style="italic"' if item.cell.hidden else ""
        parts.append(
            f'<text x="{left + bar_width + 10}" y="{y + 38}" fill="{colour}"{style}>'
            f"{escape(item.text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


@cache
def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size)


def png(items: list[Bar], *, title: str, note: str) -> bytes:
    """A 1200 px wide PNG: the title, a bar per category, and the key for hidden counts."""
    width, margin, row = 1200, 48, 84
    title_font, label_font, note_font = _font(40, bold=True), _font(28), _font(22)
    draw_probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title_lines = _wrap(draw_probe, title, title_font, width - 2 * margin)
    head = 40 + 52 * len(title_lines) + 20
    height = head + row * len(items) + 90
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(title_lines):
        draw.text((margin, 40 + 52 * n), line, font=title_font, fill=INK)
    bar_width = width - 2 * margin - 260
    for index, (item, share) in enumerate(zip(items, _widths(items), strict=True)):
        y = head + index * row
        draw.text((margin, y), item.label, font=label_font, fill=INK)
        draw.rectangle((margin, y + 38, margin + bar_width, y + 70), fill=TRACK)
        if share:
            draw.rectangle((margin, y + 38, margin + max(share * bar_width, 3), y + 70), fill=BAR)
        draw.text(
            (margin + bar_width + 16, y + 38),
            item.text,
            font=label_font,
            fill=MUTED if item.cell.hidden else INK,
        )
    draw.text((margin, height - 60), note, font=note_font, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines or [""]
