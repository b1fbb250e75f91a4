"""Pages of the reviews: the worklist and list (lists.py), a review with the panel of its
current step (detail.py), the acts (actions.py), and the lists for the permit authority and
enforcement (handover.py)."""
