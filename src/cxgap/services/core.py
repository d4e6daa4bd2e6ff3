"""The library entry point: settings, engine and session factory in one object."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cxgap.config import Settings
from cxgap.db.engine import make_engine, make_sessionmaker
from cxgap.db.migrate import upgrade_database
from cxgap.services.contact_masking import MASK_CONTACTS


@dataclass
class Cxgap:
    """One cxgap installation: where its data lives and how to reach it.

    >>> app = Cxgap(Settings.from_env(database_url="sqlite://"))
    >>> app.upgrade()
    """

    settings: Settings
    _factory: sessionmaker[Session] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_env(cls, database_url: str | None = None) -> Cxgap:
        return cls(Settings.from_env(database_url=database_url))

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = make_sessionmaker(self.engine)
            # Read where verbatims are stored (services/contact_masking.py).
            self._factory.configure(info={MASK_CONTACTS: self.settings.mask_contacts})
        return self._factory

    def upgrade(self) -> None:
        """Create or migrate the schema to the latest revision."""
        upgrade_database(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together or not at all."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
