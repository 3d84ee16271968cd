"""factdesk: a static site generator for fact-check desks."""

__version__ = "0.1.0"
