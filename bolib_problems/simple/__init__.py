"""The 11 simple bilevel programs of BOLIB v2 (examples 163-173): no upper-level variable."""
