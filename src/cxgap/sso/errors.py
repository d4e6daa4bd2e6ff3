"""Why a single sign-on failed, each with a message key the pages say in the reader's language."""

from __future__ import annotations

from cxgap.errors import CxgapError


class SsoError(CxgapError):
    """A single sign-on that cannot go on; ``reason`` names the case (``sso.error.<reason>``)."""

    status_code = 400
    reason = "failed"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.keyed(f"sso.error.{self.reason}", **params)


class SsoNotConfigured(SsoError):
    """No identity provider is configured (CXGAP_OIDC_ISSUER and the client id)."""

    status_code = 404
    reason = "not_configured"


class ProviderUnavailable(SsoError):
    """The identity provider did not answer, or answered something that is not OpenID Connect."""

    status_code = 502
    reason = "provider_down"


class ProviderRefused(SsoError):
    """The identity provider refused the sign-in (the user cancelled, or the code was refused)."""

    status_code = 401
    reason = "provider_refused"


class StateMismatch(SsoError):
    """The answer does not belong to a sign-in this browser started (a forged or replayed link)."""

    reason = "state_mismatch"


class InvalidIdToken(SsoError):
    """The ID token's signature, issuer, audience, expiry or nonce is wrong; ``check`` names
    which (``sso.error.token_invalid.<check>``)."""

    status_code = 401
    reason = "token_invalid"

    def __init__(self, message: str, *, check: str) -> None:
        super().__init__(message)
        self.check = check
        self.keyed(f"sso.error.token_invalid.{check}")


class EmailNotVerified(SsoError):
    """The provider gave no e-mail address, or one it has not verified."""

    status_code = 403
    reason = "email_unverified"


class DomainNotAllowed(SsoError):
    """The e-mail's domain is not one of CXGAP_OIDC_ALLOWED_DOMAINS."""

    status_code = 403
    reason = "domain_not_allowed"


class NoRole(SsoError):
    """The user is known but has access to no workspace yet: an administrator must add them."""

    status_code = 403
    reason = "no_role"


class LocalPasswordsOff(SsoError):
    """Passwords are turned off on this instance: sign in with the identity provider."""

    status_code = 403
    reason = "local_passwords_off"
