"""BOLIB nonlinear examples 115-124: name -> module."""

MODULES: dict[str, str] = {
    "SinhaMaloDeb2014TP10": "nonlinear.sinha_malo_deb_2014_tp10",
    "TuyEtal2007": "nonlinear.tuy_etal_2007",
    "Vogel2012": "nonlinear.vogel_2012",
    "WanWangLv2011": "nonlinear.wan_wang_lv_2011",
    "YeZhu2010Ex42": "nonlinear.ye_zhu_2010_ex42",
    "YeZhu2010Ex43": "nonlinear.ye_zhu_2010_ex43",
    "Yezza1996Ex31": "nonlinear.yezza_1996_ex31",
    "Yezza1996Ex41": "nonlinear.yezza_1996_ex41",
    "Zlobec2001a": "nonlinear.zlobec_2001a",
    "Zlobec2001b": "nonlinear.zlobec_2001b",
}
