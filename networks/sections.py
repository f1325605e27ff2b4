"""The network page's extension point: apps above networks (which it may not import) add
sections to a network's page, as campaigns.sections does for demands.

Each `network_page_sections` hook is `fn(request, page)` and returns a rendered HTML block, or
None to show nothing. The page shows them, in the order registered, after its positions. A
section is cached with the page for anonymous visitors (hub.pagecache), so what it shows them
must change only with the content version or within the page cache's freshness.
"""

from wagtail import hooks

SECTIONS_HOOK = "network_page_sections"


def network_page_sections(request, page) -> list[str]:
    return [html for fn in hooks.get_hooks(SECTIONS_HOOK) if (html := fn(request, page))]
