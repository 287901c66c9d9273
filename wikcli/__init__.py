"""wik: chase unpaid invoices the Dutch way (collection costs, interest, deadlines, letters)."""

__version__ = "0.1.0"
