"""How many places one way of attending an event has, and how many are gone. Below the event
pages, which build these from their capacities and their replies."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Places:
    attendance: str
    label: str
    capacity: int | None  # None is no limit
    taken: int  # confirmed or held for someone

    @property
    def limited(self) -> bool:
        return self.capacity is not None

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def choice_label(self) -> str:
        """The radio button's words: the way to come and, if limited, what is left of it."""
        if self.full:
            return f"{self.label} (full: join the waiting list)"
        if self.capacity is None:
            return self.label
        return f"{self.label} ({self.left} place{'s' if self.left != 1 else ''} left)"
