"""Widgets shared by or specific to screens."""
