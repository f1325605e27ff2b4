"""A demand's wording as text, and the word-by-word difference between two wordings. Pure
functions over the stored data: versions keep the case's StreamField data whole."""

import difflib
import html
import re

from django.utils.html import escape, strip_tags

# The parts of each block of hub.blocks.BaseStreamBlock that are words a reader reads.
BLOCK_TEXT_FIELDS = {
    "heading": ["text"],
    "quote": ["quote", "attribution"],
    "figure": ["caption"],
    "call_to_action": ["title", "text", "link_text"],
}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A paragraph break among the words being compared.
BREAK = "\n\n"


def _paragraphs(markup: str) -> list[str]:
    # Block-level tags end a paragraph, so the paragraphs of one rich text block stay apart.
    markup = re.sub(r"</(p|h[1-6]|li|blockquote)>", "\n\n", markup)
    return [" ".join(html.unescape(strip_tags(part)).split()) for part in
            PARAGRAPH_BREAK.split(markup)]  # fmt: skip


def _plain(markup: str) -> str:
    return " ".join(part for part in _paragraphs(markup) if part)


def case_text(data: list) -> str:
    """The case's words, one block (or rich-text paragraph) a paragraph, blank lines between."""
    paragraphs = []
    for block in data or []:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            paragraphs.extend(part for part in _paragraphs(value) if part)
            continue
        fields = BLOCK_TEXT_FIELDS.get(block.get("type"), [])
        value = value if isinstance(value, dict) else {}
        text = " ".join(filter(None, (_plain(str(value.get(field) or "")) for field in fields)))
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def case_blocks(text: str) -> list[tuple[str, str]]:
    """Plain paragraphs separated by blank lines, as the case's paragraph blocks."""
    paragraphs = [" ".join(part.split()) for part in PARAGRAPH_BREAK.split(text.strip())]
    return [("paragraph", f"<p>{escape(part)}</p>") for part in paragraphs if part]


def case_wording(data: list) -> list:
    """What a case says, without the ids Wagtail gives its blocks, to tell a change from a save."""
    return [(block.get("type"), block.get("value")) for block in data or []]


def words_diff(old: str, new: str) -> list[list[dict]]:
    """`old` to `new` word by word, as paragraphs of parts {"kind": "same" | "ins" | "del",
    "text": ...}; a paragraph break either side starts a new paragraph, so it reads as it did."""
    tokens_old, tokens_new = _tokens(old), _tokens(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=tokens_old, b=tokens_new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            _add(parts, "same", tokens_new[b1:b2])
        else:
            _add(parts, "del", tokens_old[a1:a2])
            _add(parts, "ins", tokens_new[b1:b2])
    paragraphs = [[]]
    for part in parts:
        if part["kind"] == "break":
            if paragraphs[-1]:
                paragraphs.append([])
        else:
            paragraphs[-1].append(part)
    return [paragraph for paragraph in paragraphs if paragraph]


def _tokens(text: str) -> list[str]:
    tokens = []
    for number, paragraph in enumerate(PARAGRAPH_BREAK.split(text or "")):
        if number:
            tokens.append(BREAK)
        tokens.extend(paragraph.split())
    return tokens


def _add(parts: list, kind: str, tokens: list[str]) -> None:
    # A run of words becomes one part; a paragraph break always stands alone.
    run = []
    for word in tokens:
        if word == BREAK:
            if run:
                parts.append({"kind": kind, "text": " ".join(run)})
                run = []
            parts.append({"kind": "break", "text": ""})
        else:
            run.append(word)
    if run:
        parts.append({"kind": kind, "text": " ".join(run)})


def diff_changed(paragraphs: list[list[dict]]) -> bool:
    return any(part["kind"] != "same" for paragraph in paragraphs for part in paragraph)
