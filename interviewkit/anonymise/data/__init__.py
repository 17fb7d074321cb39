"""Shipped gazetteers (plain UTF-8 text, read by ``interviewkit.anonymise.gazetteer``)."""
