"""Milestones are stored as text ("100,1000,10000"), so every reader parses them the same way."""


def milestones_parse(text: str) -> tuple[int, ...]:
    """The distinct whole-number milestones in `text`, smallest first. Blank parts, spaces and
    anything not a whole number are skipped rather than raised on, so a stray comma an editor
    leaves never breaks a page, a fragment or the digest."""
    found = set()
    for part in text.split(","):
        try:
            found.add(int(part))
        except ValueError:
            continue
    return tuple(sorted(found))
