"""BOLIB nonlinear examples 22-32: name -> module."""

MODULES: dict[str, str] = {
    "DempeDutta2012Ex31": "nonlinear.dempe_dutta_2012_ex31",
    "DempeEtal2012": "nonlinear.dempe_etal_2012",
    "DempeFranke2011Ex41": "nonlinear.dempe_franke_2011_ex41",
    "DempeFranke2011Ex42": "nonlinear.dempe_franke_2011_ex42",
    "DempeFranke2014Ex38": "nonlinear.dempe_franke_2014_ex38",
    "DempeLohse2011Ex31a": "nonlinear.dempe_lohse_2011_ex31a",
    "DempeLohse2011Ex31b": "nonlinear.dempe_lohse_2011_ex31b",
    "DeSilva1978": "nonlinear.de_silva_1978",
    "FalkLiu1995": "nonlinear.falk_liu_1995",
    "FloudasEtal2013": "nonlinear.floudas_etal_2013",
    "FloudasZlobec1998": "nonlinear.floudas_zlobec_1998",
}
