"""The :class:`LowerLevel` block: a Pyomo block that holds the follower's problem."""

from __future__ import annotations

from pyomo.core.base.block import BlockData, declare_custom_block


@declare_custom_block(name="LowerLevel")
class LowerLevelData(BlockData):
    """Data of one lower-level block.

    Every ``Var`` declared inside the block is a lower-level (follower) variable; the
    block's single active ``Objective`` is the follower's objective, its ``Constraint``
    components are the follower's constraints, and the bounds of its variables are
    follower constraints too (they receive multipliers in the KKT reformulation).
    """
