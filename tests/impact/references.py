"""Series and statsmodels' figures for them (tests/impact).

Computed with statsmodels 0.15.0 and scipy 1.17.1 in a scratch virtualenv
(``python3 -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels pandas``)::

    import math, numpy as np, statsmodels.api as sm
    n = len(y); L = min(math.floor(4 * (n / 100) ** (2 / 9)), n - 1)
    t = np.arange(n, dtype=float); d = (t >= t0).astype(float)
    X = np.column_stack([np.ones(n), t, d, (t - t0) * d])
    r = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})
    print(L, r.params[2], r.params[3], r.conf_int()[2], r.conf_int()[3], r.pvalues[2], r.pvalues[3])

The values were drawn once (numpy default_rng(13)) and rounded to 2 decimals; printed output:

    level_jump t0 8 maxlags 2
      params 6.494404761904768 -0.1744047619047563
      ci2 4.859841896158335 8.1289676276512 ci3 -0.6422241373385196 0.29341461352900705
      p 6.846687280142827e-15 0.46497360172430613
    slope_change t0 10 maxlags 2
      params -0.20503030303030467 0.0630303030303034
      ci2 -0.28640121755987813 -0.12365938850073119 ci3 0.0432692247876615 0.08279138127294529
      p 7.871710683262284e-07 4.0643119286367187e-10
    null_ar1 t0 15 maxlags 3
      params 1.7541904761904794 -0.4019285714285754
      ci2 -0.6513796413480666 4.159760593729025 ci3 -0.6822214854231702 -0.12163565743398064
      p 0.1529336974291533 0.004946333333922063
    with_n t0 5 maxlags 2
      params -0.03099999999999989 0.0007142857142855474
      ci2 -0.045671477674742306 -0.016328522325257472 ci3 -0.00424027708202434 0.0056688485105954355
      p 3.453539008212028e-05 0.7775121332790411

``null_ar1`` has no effect by construction (AR(1) noise, φ = 0.6) yet its slope change has
p = 0.005: Newey-West errors on 30 points are too narrow, as docs/actions.md warns.

The fallback, ``r = scipy.stats.ttest_ind(after, before, equal_var=False)`` and
``r.confidence_interval(0.95)``:

    before [31.2, 29.8, 30.5] after [33.1, 34.0, 32.2, 35.4]
      difference 3.174999999999997 p 0.012064452497903335 df 4.620942576136825
      ci 1.085010356159834 5.26498964384016
    before [7.1, 7.4] after [7.9, 8.3, 7.6, 8.8, 8.1]
      difference 0.8900000000000023 p 0.02094746019517144 df 4.335659995208741
      ci 0.2133517599195761 1.5666482400804287
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    values: list[float]
    t0: int
    lags: int
    level: tuple[float, float, float, float]  # estimate, low, high, p
    slope: tuple[float, float, float, float]
    n: list[int] | None = None


# fmt: off
ITS = {
    "level_jump": Reference(
        [42.74, 35.68, 42.04, 41.0, 43.18, 42.08, 44.54, 42.15, 49.63, 51.57, 51.65, 50.76,
         51.23, 52.98, 53.26, 51.76],
        8, 2,
        (6.494404761904768, 4.859841896158335, 8.1289676276512, 6.846687280142827e-15),
        (-0.1744047619047563, -0.6422241373385196, 0.29341461352900705, 0.46497360172430613),
    ),
    "slope_change": Reference(
        [7.16, 7.03, 7.39, 7.21, 7.37, 7.29, 7.45, 7.42, 7.31, 7.44, 7.2, 7.52, 7.33, 7.6, 7.77,
         7.77, 7.8, 7.85, 7.99, 8.22],
        10, 2,
        (-0.20503030303030467, -0.28640121755987813, -0.12365938850073119,
         7.871710683262284e-07),
        (0.0630303030303034, 0.0432692247876615, 0.08279138127294529, 4.0643119286367187e-10),
    ),
    "null_ar1": Reference(
        [21.78, 20.54, 17.83, 20.05, 17.13, 17.22, 16.86, 19.6, 20.23, 21.06, 21.18, 19.35,
         20.68, 23.23, 21.87, 22.39, 21.18, 22.77, 22.99, 23.55, 22.83, 24.98, 22.26, 20.69,
         19.23, 20.76, 19.21, 18.24, 20.4, 22.56],
        15, 3,
        (1.7541904761904794, -0.6513796413480666, 4.159760593729025, 0.1529336974291533),
        (-0.4019285714285754, -0.6822214854231702, -0.12163565743398064,
         0.004946333333922063),
    ),
    # a share of detractors with the answers behind each month: n changes nothing (OLS)
    "with_n": Reference(
        [0.63, 0.6, 0.61, 0.62, 0.62, 0.58, 0.6, 0.58, 0.58, 0.59, 0.59, 0.59],
        5, 2,
        (-0.03099999999999989, -0.045671477674742306, -0.016328522325257472,
         3.453539008212028e-05),
        (0.0007142857142855474, -0.00424027708202434, 0.0056688485105954355,
         0.7775121332790411),
        [354, 373, 215, 200, 357, 330, 384, 313, 391, 315, 120, 225],
    ),
}
WELCH = [
    # before, after, (difference, low, high, p), df
    ([31.2, 29.8, 30.5], [33.1, 34.0, 32.2, 35.4],
     (3.174999999999997, 1.085010356159834, 5.26498964384016, 0.012064452497903335),
     4.620942576136825),
    ([7.1, 7.4], [7.9, 8.3, 7.6, 8.8, 8.1],
     (0.8900000000000023, 0.2133517599195761, 1.5666482400804287, 0.02094746019517144),
     4.335659995208741),
]
# fmt: on
