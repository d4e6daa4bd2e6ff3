"""First run: the first administrator, whose password is kept for the operator to read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cxgap.config import setting_value
from cxgap.files import private_dir, write_private_text
from cxgap.services.accounts import ensure_first_admin
from cxgap.services.core import Cxgap

PASSWORD_FILE = "initial-admin-password.txt"


@dataclass(frozen=True)
class LoginHint:
    email: str
    password: str | None  # None once the operator has deleted the file
    password_file: Path


def ensure_admin(app: Cxgap) -> LoginHint:
    """Create the first admin if there are no users yet, and say how to log in.

    The password comes from CXGAP_ADMIN_PASSWORD or is generated; it is written, readable by
    the owner only, to the data dir so that ``make run`` can show it again. Delete the file
    after changing the password.
    """
    email = setting_value("CXGAP_ADMIN_EMAIL") or ""
    path = app.settings.data_dir / PASSWORD_FILE
    with app.transaction() as session:
        created = ensure_first_admin(
            session, email=email, password=setting_value("CXGAP_ADMIN_PASSWORD")
        )
    if created is not None:
        private_dir(app.settings.data_dir)
        write_private_text(path, f"{email}\n{created}\n")
    if path.exists():
        stored_email, _, password = path.read_text(encoding="utf-8").partition("\n")
        return LoginHint(stored_email.strip(), password.strip() or None, path)
    return LoginHint(email, None, path)
