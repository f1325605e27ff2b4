# Each admin module registers what it owns when imported.
from . import bank_admin  # noqa: F401
