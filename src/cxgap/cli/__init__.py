"""The ``cxgap`` command line: thin Typer commands over the services."""
