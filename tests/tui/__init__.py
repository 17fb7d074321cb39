"""Tests of the terminal interface (Textual Pilot)."""
