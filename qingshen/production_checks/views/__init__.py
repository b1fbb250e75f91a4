"""The pages: list / export (listing.py), new and edit (entry.py), detail and conclude (detail.py)."""
