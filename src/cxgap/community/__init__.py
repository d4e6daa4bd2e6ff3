"""The community around a workspace, pure: values in, values out (``docs/community.md``).

``statuses`` holds the kinds an idea's status can have and the default board statuses,
``ranking`` orders a board (trending, most voted, newest) and ``similar`` finds the ideas a
new one may duplicate while it is typed. Storage is in ``db/idea_tables.py``, use cases in
``services/ideas.py``.
"""
