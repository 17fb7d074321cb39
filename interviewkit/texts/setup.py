"""Interface texts: setup (English and bokmål; see interviewkit.texts)."""

EN: dict[str, str] = {
    # -- export: a file that is already there is replaced only when the user says so
    "export.overwrite.one": "{path} is already there. Replace it with this export?",
    "export.overwrite.many": "{path} and {more} more files of this export are already there. Replace them?",
    "export.overwrite.kept": "Not exported: the existing files were kept as they were.",
    "error.export.output_exists": "{path} is already there: choose another place to save, or replace it.",
}

NB: dict[str, str] = {
    "export.overwrite.one": "{path} finnes allerede. Vil du erstatte den med denne eksporten?",
    "export.overwrite.many": "{path} og {more} andre filer i denne eksporten finnes allerede. Vil du erstatte dem?",
    "export.overwrite.kept": "Ikke eksportert: de eksisterende filene ble beholdt som de var.",
    "error.export.output_exists": "{path} finnes allerede: velg et annet sted å lagre, eller erstatt den.",
}
