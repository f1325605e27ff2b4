"""The demand page's extension point: apps above campaigns (which it may not import) add
sections to a demand's page.

Each `demand_page_sections` hook is `fn(request, page)` and returns a rendered HTML block, or None
to show nothing. The page shows them, in the order registered, after the coalition. A section is
cached with the page for anonymous visitors (hub.pagecache), so what it shows them must change
only with the content version.
"""

from wagtail import hooks

SECTIONS_HOOK = "demand_page_sections"


def demand_page_sections(request, page) -> list[str]:
    return [html for fn in hooks.get_hooks(SECTIONS_HOOK) if (html := fn(request, page))]
