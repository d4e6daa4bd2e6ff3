"""Text analytics: language, sentences and clauses, embeddings and the light heads on top.

One protocol per role (``protocols.py``) with interchangeable back ends. Nothing here loads a
model at import time, and the heavy libraries (the bundled embedding model, scikit-learn,
the language identifier) are imported only when first used, with an install hint when they
are missing (a slim install, see ``cxgap.text.dependencies``). This package never touches the
database, the web app or the CLI; it takes strings and arrays and returns values.
"""
