"""The icons of access and safety items: the symbols of static/img/access-icons.svg, by name.
A feature's icon is chosen from these in the admin (a test keeps this list and the sprite in
step)."""

ICON_CHOICES = [
    ("step-free", "Wheelchair"),
    ("accessible-toilet", "Toilet"),
    ("hearing-loop", "Ear"),
    ("bsl-on-request", "Signing hands"),
    ("bsl-booked", "Signing hands, ticked"),
    ("live-captions", "Captions"),
    ("quiet-room", "Moon"),
    ("seating-and-breaks", "Chair"),
    ("childcare", "Child"),
    ("travel-support", "Bus"),
    ("food", "Cup and plate"),
    ("peer-led", "Two people"),
    ("trauma-informed", "Heart"),
    ("check", "Tick"),
]
# Shown with items that are not features: who a closed group is for, and a free event.
OTHER_ICONS = ["closed-group", "free"]
ICONS = frozenset(name for name, _label in ICON_CHOICES)
# For a feature whose icon is not one of ours.
GENERIC_ICON = "check"
