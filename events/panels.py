from wagtail.admin.panels import Panel


class CoOrganiserAnswersPanel(Panel):
    """What each invited network answered. The event's editors see it; only each network's own
    admins change it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "events/admin/co_organiser_answers.html"

        def is_shown(self):
            return bool(self.instance.pk) and self.instance.co_organiser_invitations.exists()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["invitations"] = self.instance.co_organiser_invitations.select_related(
                "network"
            ).order_by("network__title")
            return context
