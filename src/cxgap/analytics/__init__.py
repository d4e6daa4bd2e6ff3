"""Pure statistics: arrays and count tables in, dataclasses out. No database, no web."""
