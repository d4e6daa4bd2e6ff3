"""Storage: SQLAlchemy tables, engine factory, typed queries and Alembic migrations."""
