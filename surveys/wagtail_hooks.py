from wagtail import hooks

from . import quote_admin

hooks.register("register_admin_urls", quote_admin.urls)
hooks.register("register_page_header_buttons", quote_admin.quotes_button)
