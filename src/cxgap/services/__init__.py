"""Use cases that own a transaction. Front ends (CLI, web, API) call these and nothing lower."""
