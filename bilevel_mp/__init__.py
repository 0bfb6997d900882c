"""bilevel_mp: classical bilevel mathematical programming on Pyomo models."""

from bilevel_mp.modeling.lower_level import LowerLevel

__all__ = ["LowerLevel"]
