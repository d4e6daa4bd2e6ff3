"""Screenshots of the Policies page of the service levels (the section policies, their match,
targets and pause statuses), in English and French, desktop and phone, into docs/screenshots/
(``service-levels-policies-{en,fr}[-phone].png``).

Runs cxgap on a throw-away database holding the demo workspace, with an administrator.
"""

from __future__ import annotations

from scripts.screenshots_gaps12 import setup
from scripts.screenshots_sessions import FIREFOX, served, shoot, sign_in


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "service-levels-policies", f"{base}/w/demo/service-levels/policies")


if __name__ == "__main__":
    main()
