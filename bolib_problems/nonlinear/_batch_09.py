"""BOLIB nonlinear examples 105-114: name -> module."""

MODULES: dict[str, str] = {
    "SahinCiric1998Ex2": "nonlinear.sahin_ciric_1998_ex2",
    "ShimizuAiyoshi1981Ex1": "nonlinear.shimizu_aiyoshi_1981_ex1",
    "ShimizuAiyoshi1981Ex2": "nonlinear.shimizu_aiyoshi_1981_ex2",
    "ShimizuEtal1997a": "nonlinear.shimizu_etal_1997a",
    "ShimizuEtal1997b": "nonlinear.shimizu_etal_1997b",
    "SinhaMaloDeb2014TP3": "nonlinear.sinha_malo_deb_2014_tp3",
    "SinhaMaloDeb2014TP6": "nonlinear.sinha_malo_deb_2014_tp6",
    "SinhaMaloDeb2014TP7": "nonlinear.sinha_malo_deb_2014_tp7",
    "SinhaMaloDeb2014TP8": "nonlinear.sinha_malo_deb_2014_tp8",
    "SinhaMaloDeb2014TP9": "nonlinear.sinha_malo_deb_2014_tp9",
}
