from wagtail import hooks

# Each admin module registers what it owns when imported, or is registered here.
from . import bank_admin, quote_admin, raw_admin  # noqa: F401

hooks.register("register_admin_urls", quote_admin.urls)
hooks.register("register_page_header_buttons", quote_admin.quotes_button)
