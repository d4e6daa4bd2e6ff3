"""The audit log: who signed in, changed a role, exported or deleted what, and when.

Routes and services call :func:`record` in the transaction that does the thing, so an event
is stored exactly when the change is. Events hold ids and pseudonyms, never e-mails or
verbatims.
"""

from cxgap.audit.actions import ACTIONS, Action
from cxgap.audit.log import Actor, Target, pseudonym, record, record_failed_sign_in

__all__ = [
    "ACTIONS",
    "Action",
    "Actor",
    "Target",
    "pseudonym",
    "record",
    "record_failed_sign_in",
]
