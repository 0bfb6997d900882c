"""BOLIB nonlinear examples 44-56: name -> module."""

MODULES: dict[str, str] = {
    "LamparielloSagratella2017Ex31": "nonlinear.lampariello_sagratella_2017_ex31",
    "LamparielloSagratella2017Ex32": "nonlinear.lampariello_sagratella_2017_ex32",
    "LamparielloSagratella2017Ex33": "nonlinear.lampariello_sagratella_2017_ex33",
    "LamparielloSagratella2017Ex35": "nonlinear.lampariello_sagratella_2017_ex35",
    "LucchettiEtal1987": "nonlinear.lucchetti_etal_1987",
    "LuDebSinha2016a": "nonlinear.lu_deb_sinha_2016a",
    "LuDebSinha2016b": "nonlinear.lu_deb_sinha_2016b",
    "LuDebSinha2016c": "nonlinear.lu_deb_sinha_2016c",
    "LuDebSinha2016d": "nonlinear.lu_deb_sinha_2016d",
    "LuDebSinha2016e": "nonlinear.lu_deb_sinha_2016e",
    "LuDebSinha2016f": "nonlinear.lu_deb_sinha_2016f",
    "MacalHurter1997": "nonlinear.macal_hurter_1997",
    "Mirrlees1999": "nonlinear.mirrlees_1999",
}
