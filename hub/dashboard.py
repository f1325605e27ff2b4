"""The admin dashboard's "Waiting for moderators" panel.

Hub imports no feature app: each app that keeps something for moderators registers a
`moderation_waiting` hook, `fn(request)`, returning a `WaitingItem` for a user who may act on
it and None for anyone else; the panel shows only when at least one item is returned.
"""

from dataclasses import dataclass

from wagtail import hooks
from wagtail.admin.ui.components import Component

WAITING_HOOK = "moderation_waiting"


@dataclass(frozen=True)
class WaitingItem:
    count: int
    singular: str
    plural: str
    url: str

    @property
    def label(self) -> str:
        return self.singular if self.count == 1 else self.plural


class ModerationPanel(Component):
    name = "moderation_waiting"
    # Wagtail's own panels start at 100: what waits for a moderator comes first.
    order = 50
    template_name = "hub/admin/moderation_panel.html"

    def __init__(self, items: list[WaitingItem]):
        self.items = items

    def get_context_data(self, parent_context=None):
        return {"items": self.items, "total": sum(item.count for item in self.items)}


def waiting_items(request) -> list[WaitingItem]:
    return [item for fn in hooks.get_hooks(WAITING_HOOK) if (item := fn(request)) is not None]
