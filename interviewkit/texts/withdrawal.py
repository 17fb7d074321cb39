"""Interface texts: withdrawal (English and bokmål; see interviewkit.texts).

What the check after a withdrawal found (``interviewkit.archive.erasure.find_name``).
"""

EN: dict[str, str] = {
    "withdraw.checked": "All {files} files were decrypted and searched: no trace of the name is left.",
    "withdraw.found": ("The name is still found in {count} files: {paths}. Remove it there "
                       "(e.g. interviewkit transcript replace) and tell the data steward."),
    "withdraw.unchecked": "{count} files this key cannot open were not searched.",
}

NB: dict[str, str] = {
    "withdraw.checked": "Alle {files} filer ble dekryptert og gjennomsøkt: navnet finnes ikke lenger.",
    "withdraw.found": ("Navnet finnes fortsatt i {count} filer: {paths}. Fjern det der "
                       "(f.eks. interviewkit transcript replace), og si fra til dataforvalteren."),
    "withdraw.unchecked": "{count} filer som denne nøkkelen ikke kan åpne, ble ikke gjennomsøkt.",
}
