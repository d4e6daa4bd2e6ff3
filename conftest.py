"""Collection settings for the whole checkout (``--doctest-modules src tests``)."""

import sys

# The Ray engine's Ray Data module has no example to run, and importing it imports Ray Data,
# pandas and pyarrow (``cxgap[ray]``): 4 s of CPU in each test process on this machine, of
# which only the one that runs tests/jobs/test_ray_engine.py needs them (it imports the module
# itself, so a module that stopped importing still fails there).
collect_ignore = ["src/cxgap/jobs/ray_data.py"]

# Bytecode is cached in the checkout's __pycache__ folders (git-ignored) even where
# PYTHONDONTWRITEBYTECODE is set, as on this project's shared machine: without the cache every
# test process compiled each cxgap module and rewrote each test module's asserts again
# (collecting the suite: 17.6 CPU s without, 7.7 with), and every cxgap child process the suite
# starts compiled its imports again (it reads the cache the test processes write).
sys.dont_write_bytecode = False
