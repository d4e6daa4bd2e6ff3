"""Collection settings for the whole checkout (``--doctest-modules src tests``)."""

from importlib.util import find_spec

# The Ray engine's Ray Data module imports pandas and pyarrow (``cxgap[ray]``): without them
# there is nothing of it to collect.
collect_ignore = (
    [] if find_spec("pandas") and find_spec("pyarrow") else ["src/cxgap/jobs/ray_data.py"]
)
