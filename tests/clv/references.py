"""Published CDNOW figures and the ``lifetimes`` package's, for tests/clv.

The data (tests/data/clv, see its README.md): the CDNOW sample of Fader, Hardie & Lee —
2,357 customers who first bought in the first quarter of 1997, 6,919 purchase rows to
mid-1998 — and its 39-week calibration summary, both as shipped in the ``lifetimes`` 0.11.3
wheel (MIT licence).

Published: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing
Science 24(2): BG/NBD r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, log-likelihood
-9582.4; a customer with x = 2, t_x = 30.43, T = 38.86 weeks is expected to make 1.226
purchases in the next 39 weeks. Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary
Value", and the lifetimes documentation: Gamma-Gamma p = 6.25, q = 3.74, v = 15.44 (the
lifetimes docs print 15.45: the summary's monetary values are rounded to the cent).

lifetimes 0.11.3 (scipy 1.17.1, numpy 2.4.6, pandas 3.1.1) in a scratch virtualenv
(``python3 -m venv /tmp/ltv && /tmp/ltv/bin/pip install lifetimes``), on the summary::

    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value
    df = load_cdnow_summary_data_with_monetary_value()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(df["frequency"], df["recency"], df["T"])
    rep = df[df.frequency > 0]
    ggf = GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary_value"])
    sub = df.loc[[1, 2, 3, 18, 100]]
    bgf.conditional_expected_number_of_purchases_up_to_time(39, *sub[[...3 columns]])
    bgf.conditional_probability_alive(...); bgf.expected_number_of_purchases_up_to_time(78)
    ggf.conditional_expected_average_profit(sub["frequency"], sub["monetary_value"])
    ggf.customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01, freq="W")

printed the values below.
"""

from __future__ import annotations

PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_BGNBD_LL = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
PUBLISHED_NEXT_39_WEEKS = 1.226  # x = 2, t_x = 30.43, T = 38.86

LIFETIMES_BGNBD = {
    "r": 0.24259292827982148,
    "alpha": 4.413532265271809,
    "a": 0.7928859664406578,
    "b": 2.4257523826257374,
}
LIFETIMES_GAMMA_GAMMA = {"p": 6.24880249607099, "q": 3.7445884609237634, "v": 15.447748064943575}
# customer id: (x, t_x, T, monetary value) of the summary
CUSTOMERS = {
    1: (2, 30.43, 38.86, 22.35),
    2: (1, 1.71, 38.86, 11.77),
    3: (0, 0.00, 38.86, 0.00),
    18: (1, 4.86, 38.86, 9.99),
    100: (1, 23.86, 38.29, 26.22),
}
LIFETIMES_NEXT_39_WEEKS = [1.2259104241744068, 0.20325062425618798, 0.19478085793947836,
                           0.2977642307205725, 0.6267951461314679]  # fmt: skip
LIFETIMES_P_ALIVE = [0.7266091367990596, 0.21222738807220765, 1.0, 0.31091528096614635,
                     0.6469884214257856]  # fmt: skip
LIFETIMES_PURCHASES_IN_78_WEEKS = 1.857971703527763  # E[X(78)] for a new customer
LIFETIMES_SPEND = [24.65861618923827, 18.911479869933782, 35.17100215250688,
                   17.674697381971846, 28.95165231434389]  # fmt: skip
# 12 periods of 4.345 weeks (lifetimes' "months" with freq="W"), 1% per period
LIFETIMES_CLV = [36.278495763627944, 4.637466328570688, 8.34409312180974, 6.349622110039966,
                 21.886299408211777]  # fmt: skip
