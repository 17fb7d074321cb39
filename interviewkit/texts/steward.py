"""Interface texts: steward (English and bokmål; see interviewkit.texts)."""

EN: dict[str, str] = {
    # the footer's view keys (1–5): the group's word, and each key's own (its tooltip)
    "steward.views": "Views",
    "key.show_tab('status')": "Status",
    "key.show_tab('verify')": "Verify",
    "key.show_tab('due')": "Due",
    "key.show_tab('keys')": "Keys",
    "key.show_tab('report')": "Processing record",
    "steward.columns_hidden": "Left out at this width: {columns} (a wider window shows them).",
    # due deletions these keys cannot carry out: said before anything is deleted
    "steward.due.refused": "Cannot be carried out: {project}: {action}: {refusal} — "
                           "nothing in this project is deleted.",
    "steward.due.none_doable": "Nothing due can be carried out with this key: nothing is deleted "
                               "(see why below).",
    "error.linkage.not_holder": "this key cannot open the linkage key — only the project key (the project "
                                "passphrase) or a recipient of scope linkage or all ({keys}) can destroy it",
    "error.linkage.not_holder_project_only": "this key cannot open the linkage key — only the project key "
                                             "(the project passphrase) can destroy it",
    # saving the processing record over a file that is already there
    "steward.report.overwrite": "{path} is already there. Replace it with this processing record?",
    "steward.report.kept": "Not saved: the existing file was kept as it was.",
}

NB: dict[str, str] = {
    "steward.views": "Visninger",
    "key.show_tab('status')": "Status",
    "key.show_tab('verify')": "Kontroller",
    "key.show_tab('due')": "Forfalt",
    "key.show_tab('keys')": "Nøkler",
    "key.show_tab('report')": "Behandlingsprotokoll",
    "steward.columns_hidden": "Utelatt i denne bredden: {columns} (et bredere vindu viser dem).",
    "steward.due.refused": "Kan ikke utføres: {project}: {action}: {refusal} – "
                           "ingenting i dette prosjektet slettes.",
    "steward.due.none_doable": "Ingenting som har forfalt, kan utføres med denne nøkkelen: ingenting slettes "
                               "(se hvorfor nedenfor).",
    "error.linkage.not_holder": "denne nøkkelen kan ikke åpne koblingsnøkkelen – bare prosjektnøkkelen "
                                "(prosjektets passordfrase) eller en mottaker med tilgang til koblingsnøkkelen "
                                "({keys}) kan slette den",
    "error.linkage.not_holder_project_only": "denne nøkkelen kan ikke åpne koblingsnøkkelen – bare "
                                             "prosjektnøkkelen (prosjektets passordfrase) kan slette den",
    "steward.report.overwrite": "{path} finnes allerede. Vil du erstatte den med denne behandlingsprotokollen?",
    "steward.report.kept": "Ikke lagret: den eksisterende filen ble beholdt som den var.",
}
