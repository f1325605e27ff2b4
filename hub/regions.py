"""The UK's nations and England's regions, as networks, events and signers name them."""

REGIONS = [
    ("england", "north-east", "North East"),
    ("england", "north-west", "North West"),
    ("england", "yorkshire-and-the-humber", "Yorkshire and the Humber"),
    ("england", "east-midlands", "East Midlands"),
    ("england", "west-midlands", "West Midlands"),
    ("england", "east-of-england", "East of England"),
    ("england", "london", "London"),
    ("england", "south-east", "South East"),
    ("england", "south-west", "South West"),
    ("scotland", "scotland", "Scotland"),
    ("wales", "wales", "Wales"),
    ("northern-ireland", "northern-ireland", "Northern Ireland"),
]

NATIONS = [
    ("england", "England"),
    ("scotland", "Scotland"),
    ("wales", "Wales"),
    ("northern-ireland", "Northern Ireland"),
]
