# The raw responses' admin pages and their header button register their hooks on import.
from . import raw_admin  # noqa: F401
