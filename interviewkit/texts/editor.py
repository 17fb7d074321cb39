"""Interface texts: editor (English and bokmål; see interviewkit.texts)."""

EN: dict[str, str] = {
    "key.fill_speaker": "Same speaker until here",
    "key.insert_segment": "New segment",
    "key.delete_segment": "Delete segment",
    **{f"key.speaker_{n}": f"Speaker {n}" for n in range(1, 10)},
    "cmd.editor_save": "Save now",
    "cmd.editor_save.help": "Save the transcript and where you are (the status line shows the time); "
                            "leaving keeps a revision",
    "cmd.editor_fill_speaker": "Same speaker until here",
    "cmd.editor_fill_speaker.help": "Give the speaker of the segment above the run to every segment down to "
                                    "the cursor (=)",
    "cmd.editor_insert_segment": "New segment after this one",
    "cmd.editor_insert_segment.help": "Insert an empty segment after the cursor's and type its text (Insert)",
    "cmd.editor_delete_segment": "Delete the segment",
    "cmd.editor_delete_segment.help": "Remove the cursor's segment (Delete; Ctrl+Z brings it back)",
    "cmd.editor_speaker_number": "Speaker {number}: {code}",
    "cmd.editor_speaker_number.help": "Give the segment this speaker and go to the next (keys 1–9)",
    "editor.status.saved_at": "saved {time}",
    "editor.status.speakers": "speakers {keys}",
    "editor.segment.deleted": "Segment deleted (Ctrl+Z brings it back).",
    "editor.speaker.no_key": "Key {number}: the session has {count} speakers — choose one with ctrl+k, "
                             "or type a new code there.",
    "error.transcript.no_speaker_above": "No segment above the cursor has a speaker — give the first segment "
                                         "of the run one (keys 1–9), then press = at its last.",
    "error.transcript.only_segment": "This is the only segment of the transcript — edit its text instead (Enter).",
    "play.keys.shared": "The editor's keys work here too: F5 or Ctrl+Space play/pause · F3/F4 back/forward · "
                        "F6/F7 slower/faster",
    # -- a save refused because the transcript was saved elsewhere meanwhile (editor_conflict)
    "key.conflict_reload": "Reload",
    "key.conflict_merge": "Merge",
    "key.conflict_keep_mine": "Keep mine",
    "key.conflict_later": "Decide later",
    "editor.status.conflict": "NOT SAVED: changed elsewhere",
    "editor.conflict.title": "The transcript was changed elsewhere",
    "editor.conflict.explain": "Another program saved this transcript after you opened it (revision {base}, "
                               "now {current}), so your changes are not saved yet.",
    "editor.conflict.choices": "Merge (m): their changes to the segments you did not change; where you both "
                               "changed one, yours is kept and theirs goes into the revision history.\n"
                               "Reload (r): their version; yours goes into the history.\n"
                               "Keep mine (k): yours over theirs; theirs goes into the history first.",
    "editor.conflict.reload": "Reload",
    "editor.conflict.merge": "Merge",
    "editor.conflict.keep_mine": "Keep mine",
    "editor.conflict.waiting": "Not saved: the transcript was changed elsewhere. Ctrl+S to choose what to do.",
    "editor.conflict.reloaded": "Their version is shown; yours is in the revision history (F12).",
    "editor.conflict.merged": "Merged and saved; {conflicts} segments changed on both sides kept yours "
                              "(theirs is in the revision history, F12; Ctrl+Z undoes the merge).",
    "editor.conflict.kept": "Your version is saved; theirs is in the revision history (F12).",
}

NB: dict[str, str] = {
    "key.fill_speaker": "Samme taler hit",
    "key.insert_segment": "Nytt segment",
    "key.delete_segment": "Slett segment",
    **{f"key.speaker_{n}": f"Taler {n}" for n in range(1, 10)},
    "cmd.editor_save": "Lagre nå",
    "cmd.editor_save.help": "Lagre transkripsjonen og hvor du er (statuslinjen viser klokkeslettet); "
                            "når du går ut, beholdes en versjon",
    "cmd.editor_fill_speaker": "Samme taler hit",
    "cmd.editor_fill_speaker.help": "Gi taleren i segmentet over alle segmentene ned til markøren (=)",
    "cmd.editor_insert_segment": "Nytt segment etter dette",
    "cmd.editor_insert_segment.help": "Sett inn et tomt segment etter segmentet under markøren og skriv teksten "
                                      "(Insert)",
    "cmd.editor_delete_segment": "Slett segmentet",
    "cmd.editor_delete_segment.help": "Fjern segmentet under markøren (Delete; Ctrl+Z henter det tilbake)",
    "cmd.editor_speaker_number": "Taler {number}: {code}",
    "cmd.editor_speaker_number.help": "Gi segmentet denne taleren og gå til neste (tastene 1–9)",
    "editor.status.saved_at": "lagret {time}",
    "editor.status.speakers": "talere {keys}",
    "editor.segment.deleted": "Segmentet er slettet (Ctrl+Z henter det tilbake).",
    "editor.speaker.no_key": "Tast {number}: intervjuet har {count} talere — velg en med ctrl+k, "
                             "eller skriv en ny kode der.",
    "error.transcript.no_speaker_above": "Ingen segmenter over markøren har en taler — gi det første segmentet "
                                         "i rekken en (tastene 1–9), og trykk så = ved det siste.",
    "error.transcript.only_segment": "Dette er det eneste segmentet i transkripsjonen — rediger teksten i stedet "
                                     "(Enter).",
    "play.keys.shared": "Tastene fra redigeringen virker her også: F5 eller Ctrl+Mellomrom spill/pause · "
                        "F3/F4 tilbake/fram · F6/F7 saktere/raskere",
    # -- a save refused because the transcript was saved elsewhere meanwhile (editor_conflict)
    "key.conflict_reload": "Last inn på nytt",
    "key.conflict_merge": "Slå sammen",
    "key.conflict_keep_mine": "Behold min",
    "key.conflict_later": "Bestem senere",
    "editor.status.conflict": "IKKE LAGRET: endret et annet sted",
    "editor.conflict.title": "Transkripsjonen er endret et annet sted",
    "editor.conflict.explain": "Et annet program lagret transkripsjonen etter at du åpnet den (versjon {base}, "
                               "nå {current}), så endringene dine er ikke lagret ennå.",
    "editor.conflict.choices": "Slå sammen (m): deres endringer i segmentene du ikke har endret; der dere begge "
                               "har endret et, beholdes ditt og deres legges i versjonshistorikken.\n"
                               "Last inn på nytt (r): deres versjon; din legges i historikken.\n"
                               "Behold min (k): din over deres; deres legges først i historikken.",
    "editor.conflict.reload": "Last inn på nytt",
    "editor.conflict.merge": "Slå sammen",
    "editor.conflict.keep_mine": "Behold min",
    "editor.conflict.waiting": "Ikke lagret: transkripsjonen er endret et annet sted. Ctrl+S for å velge hva som "
                               "skal skje.",
    "editor.conflict.reloaded": "Deres versjon vises; din ligger i versjonshistorikken (F12).",
    "editor.conflict.merged": "Slått sammen og lagret; {conflicts} segmenter som var endret av begge, beholdt din "
                              "tekst (deres ligger i versjonshistorikken, F12; Ctrl+Z angrer sammenslåingen).",
    "editor.conflict.kept": "Din versjon er lagret; deres ligger i versjonshistorikken (F12).",
}
