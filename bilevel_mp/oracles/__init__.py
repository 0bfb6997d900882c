"""Bounding and separation oracles: the LPs that derive data for a reformulation (proven
Big-M bounds, direction cuts). They sit above ``reformulations`` (which never solve
anything) and below ``methods``."""
