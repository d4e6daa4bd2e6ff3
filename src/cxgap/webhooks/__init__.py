"""Outgoing webhooks: a workspace's events posted, signed, to the addresses its admins gave.

``signing`` (pure) signs and checks payloads; ``store`` registers webhooks and records each
event as deliveries in the caller's transaction; ``sender`` posts due deliveries in the
background, retrying with exponential backoff, and keeps the delivery log up to date.
"""
