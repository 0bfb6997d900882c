"""BOLIB nonlinear examples 74-88: name -> module."""

MODULES: dict[str, str] = {
    "MitsosBarton2006Ex325": "nonlinear.mitsos_barton_2006_ex325",
    "MitsosBarton2006Ex326": "nonlinear.mitsos_barton_2006_ex326",
    "MitsosBarton2006Ex327": "nonlinear.mitsos_barton_2006_ex327",
    "MitsosBarton2006Ex328": "nonlinear.mitsos_barton_2006_ex328",
    "MorganPatrone2006a": "nonlinear.morgan_patrone_2006a",
    "MorganPatrone2006b": "nonlinear.morgan_patrone_2006b",
    "MorganPatrone2006c": "nonlinear.morgan_patrone_2006c",
    "MuuQuy2003Ex1": "nonlinear.muu_quy_2003_ex1",
    "MuuQuy2003Ex2": "nonlinear.muu_quy_2003_ex2",
    "NieWangYe2017Ex34": "nonlinear.nie_wang_ye_2017_ex34",
    "NieWangYe2017Ex52": "nonlinear.nie_wang_ye_2017_ex52",
    "NieWangYe2017Ex54": "nonlinear.nie_wang_ye_2017_ex54",
    "NieWangYe2017Ex57": "nonlinear.nie_wang_ye_2017_ex57",
    "NieWangYe2017Ex58": "nonlinear.nie_wang_ye_2017_ex58",
    "NieWangYe2017Ex61": "nonlinear.nie_wang_ye_2017_ex61",
}
