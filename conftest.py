"""Collection settings for the whole checkout (``--doctest-modules src tests``)."""

# The Ray engine's Ray Data module has no example to run, and importing it imports Ray Data,
# pandas and pyarrow (``cxgap[ray]``): 4 s of CPU in each test process on this machine, of
# which only the one that runs tests/jobs/test_ray_engine.py needs them (it imports the module
# itself, so a module that stopped importing still fails there).
collect_ignore = ["src/cxgap/jobs/ray_data.py"]
