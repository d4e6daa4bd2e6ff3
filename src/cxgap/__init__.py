"""cxgap: measure the gap between the customer experience a company believes it
delivers and the one its customers actually live."""

__version__ = "0.1.0"
