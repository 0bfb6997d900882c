"""BOLIB nonlinear examples 125-132: name -> module."""

MODULES: dict[str, str] = {
    "DesignCentringP1": "nonlinear.design_centring_p1",
    "DesignCentringP2": "nonlinear.design_centring_p2",
    "DesignCentringP3": "nonlinear.design_centring_p3",
    "DesignCentringP4": "nonlinear.design_centring_p4",
    "NetworkDesignP1": "nonlinear.network_design_p1",
    "NetworkDesignP2": "nonlinear.network_design_p2",
    "RobustPortfolioP1": "nonlinear.robust_portfolio_p1",
    "RobustPortfolioP2": "nonlinear.robust_portfolio_p2",
}
