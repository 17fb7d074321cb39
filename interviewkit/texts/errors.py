"""Interface texts: errors (English and bokmål; see interviewkit.texts)."""

EN: dict[str, str] = {
}

NB: dict[str, str] = {
}
