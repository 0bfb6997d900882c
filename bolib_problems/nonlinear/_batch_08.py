"""BOLIB nonlinear examples 89-104: name -> module."""

MODULES: dict[str, str] = {
    "Outrata1990Ex1a": "nonlinear.outrata_1990_ex1a",
    "Outrata1990Ex1b": "nonlinear.outrata_1990_ex1b",
    "Outrata1990Ex1c": "nonlinear.outrata_1990_ex1c",
    "Outrata1990Ex1d": "nonlinear.outrata_1990_ex1d",
    "Outrata1990Ex1e": "nonlinear.outrata_1990_ex1e",
    "Outrata1990Ex2a": "nonlinear.outrata_1990_ex2a",
    "Outrata1990Ex2b": "nonlinear.outrata_1990_ex2b",
    "Outrata1990Ex2c": "nonlinear.outrata_1990_ex2c",
    "Outrata1990Ex2d": "nonlinear.outrata_1990_ex2d",
    "Outrata1990Ex2e": "nonlinear.outrata_1990_ex2e",
    "Outrata1993Ex31": "nonlinear.outrata_1993_ex31",
    "Outrata1993Ex32": "nonlinear.outrata_1993_ex32",
    "Outrata1994Ex31": "nonlinear.outrata_1994_ex31",
    "OutrataCervinka2009": "nonlinear.outrata_cervinka_2009",
    "PaulaviciusAdjiman2017a": "nonlinear.paulavicius_adjiman_2017a",
    "PaulaviciusAdjiman2017b": "nonlinear.paulavicius_adjiman_2017b",
}
