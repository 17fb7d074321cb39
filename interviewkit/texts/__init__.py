"""User-interface texts by area, merged into ``interviewkit.i18n.CATALOGS``.

Each module holds two dicts, ``EN`` and ``NB`` (English and Norwegian bokmål), with the
same keys.  ``interviewkit.i18n`` imports every module listed in ``AREAS`` explicitly and
merges them into its catalogs; a key may be defined in one place only (tested).
"""
