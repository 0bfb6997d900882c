"""BOLIB nonlinear examples 11-21: name -> module."""

MODULES: dict[str, str] = {
    "CalamaiVicente1994c": "nonlinear.calamai_vicente_1994c",
    "CalveteGale1999P1": "nonlinear.calvete_gale_1999_p1",
    "ClarkWesterberg1990a": "nonlinear.clark_westerberg_1990a",
    "Colson2002BIPA1": "nonlinear.colson_2002_bipa1",
    "Colson2002BIPA2": "nonlinear.colson_2002_bipa2",
    "Colson2002BIPA3": "nonlinear.colson_2002_bipa3",
    "Colson2002BIPA4": "nonlinear.colson_2002_bipa4",
    "Colson2002BIPA5": "nonlinear.colson_2002_bipa5",
    "Dempe1992a": "nonlinear.dempe_1992a",
    "Dempe1992b": "nonlinear.dempe_1992b",
    "DempeDutta2012Ex24": "nonlinear.dempe_dutta_2012_ex24",
}
