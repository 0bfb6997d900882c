"""BOLIB nonlinear examples 133-137: name -> module."""

MODULES: dict[str, str] = {
    "TollSettingP1": "nonlinear.toll_setting_p1",
    "TollSettingP2": "nonlinear.toll_setting_p2",
    "TollSettingP3": "nonlinear.toll_setting_p3",
    "TollSettingP4": "nonlinear.toll_setting_p4",
    "TollSettingP5": "nonlinear.toll_setting_p5",
}
