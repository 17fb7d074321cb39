"""Anonymisation: find names, places and other identifiers, replace them consistently, and keep
every decision reviewable.

``text`` (the normalised text detectors see, and the way back to the original offsets),
``hits`` (what a detector reports), ``detectors/`` (patterns, the project vocabulary, gazetteers,
the proper-noun heuristic, optional spaCy NER), ``pipeline`` (running and merging them),
``pseudonyms`` (the project-wide map of labels), ``indirect`` (warnings for indirect
identifiers), ``review`` (a project session's detections and the reviewer's decisions, kept in
the linkage key), ``plain`` (a text file without a project), ``evaluation`` (the labelled set's
scorer).
"""
