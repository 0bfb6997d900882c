"""BOLIB nonlinear example 138: name -> module."""

MODULES: dict[str, str] = {"OptimalControl": "nonlinear.optimal_control"}
