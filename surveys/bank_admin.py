"""The question bank's admin: hub moderators keep it (migration 0002); network editors may only
view and choose its questions, which the page editor's chooser offers them."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.admin_access import ListedSnippetChooserViewSet

from .models import BankQuestion


class BankQuestionViewSet(SnippetViewSet):
    model = BankQuestion
    # Choosing asks for the view permission, which network editors' groups hold.
    chooser_viewset_class = ListedSnippetChooserViewSet
    icon = "help"
    menu_label = "Question bank"
    menu_order = 240
    add_to_admin_menu = True
    list_display = ["prompt", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["prompt"]


register_snippet(BankQuestionViewSet)
