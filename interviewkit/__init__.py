"""interviewkit: a terminal toolkit for research interviews."""

__version__ = "0.1.0"
