"""The 24 linear bilevel programs of BOLIB v2 (examples 139-162)."""
