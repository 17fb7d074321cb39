"""Exports for qualitative coding and archiving: REFI-QDA (NVivo, ATLAS.ti, MAXQDA, QualCoder),
Word tables, plain text and Markdown, subtitles, CSV and JSON — only what consent allows.

``selection`` applies the consent gates and builds an ``ExportProject`` (``model``); the writers
(``qdpx``, ``docx``, ``text_formats``) turn it into files; ``writers`` lists the formats;
``output`` writes them (atomically, age-encrypted on request).
"""
