from wagtail import hooks

from networks.sections import SECTIONS_HOOK as NETWORK_SECTIONS_HOOK

from . import sections

hooks.register(NETWORK_SECTIONS_HOOK, sections.network_pledges_section)
