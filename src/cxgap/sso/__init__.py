"""Sign-in with the company's identity provider (OpenID Connect, authorization code + PKCE).

Pure protocol code: discovery, the authorization request, the code exchange, ID-token
verification against the provider's keys and the claims cxgap reads. Accounts and roles are
``cxgap.services.sso``'s business; the pages are ``cxgap.web.routes.sso``.
"""
