"""Constraints the services apply, written into the OpenAPI document so that it tells the
truth: a value the document allows is one the API takes (schemathesis checks both ways)."""

from __future__ import annotations

# A key: lower-case letter first, then a-z, 0-9, "-" and "_", 63 characters at most.
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
# The same, or empty when the key is derived from the name.
OPTIONAL_KEY_PATTERN = r"^([a-z][a-z0-9_-]{0,62})?$"
# Text that is not blank once trimmed (\x1c–\x1f: Python's strip() removes them too).
NOT_BLANK = r"[^\s\x1c-\x1f]"
# accounts.EMAIL_PATTERN, with the control characters Python's \s holds and Rust's does not.
EMAIL_PATTERN = r"^[^@\s\x1c-\x1f]+@[^@\s\x1c-\x1f]+\.[^@\s\x1c-\x1f]+$"
# A database id: SQLite and PostgreSQL store 64-bit signed integers; a larger one is no id.
MAX_ID = 2**63 - 1
