from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page's sections: the featured demand, events, networks and positions, read
    from every feature app for the blocks hub defines (hub imports none of them)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Home page sections"
