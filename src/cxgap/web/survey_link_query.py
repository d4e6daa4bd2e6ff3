"""What a public survey link's query names: an invitation, a shop or agent and its
signature (``services/survey_links.py``); the form posts back to the same query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends

from cxgap.services import survey_links


@dataclass(frozen=True)
class LinkQuery:
    """What a survey link's query names: an invitation, a shop or agent and its signature."""

    invitation: str | None = None
    u: str | None = None
    sig: str | None = None

    def unit(self, secret: str, token: str) -> str | None:
        return survey_links.signed_unit(secret, token, self.u, self.sig)

    def action(self, token: str) -> str:
        """The form's target: the same link, so the post carries the same query."""
        pairs = [("invitation", self.invitation), (survey_links.UNIT_PARAM, self.u)]
        pairs.append((survey_links.SIGNATURE_PARAM, self.sig))
        query = urlencode([(name, value) for name, value in pairs if value])
        return f"/s/{token}" + (f"?{query}" if query else "")


LinkQueryDep = Annotated[LinkQuery, Depends()]
