"""Interface texts: records (English and bokmål; see interviewkit.texts).

Correcting sessions and participants, and creating a project from the open screen.
"""

EN: dict[str, str] = {
    "key.edit_consent": "Consent",
    "cmd.edit_consent": "Change a participant's consent",
    "cmd.edit_consent.help": "Give or revoke consent items for someone in this interview (revoking audio stops the recording)",
    "interview.consent.choose": "Whose consent changes?",
    # -- key bindings and command palette (home screen)
    "key.edit_session": "Edit session",
    "key.remove_session": "Remove session",
    "key.edit_participant": "Edit participant",
    "cmd.edit_session": "Edit session",
    "cmd.edit_session.help": "Correct the highlighted session's id, kind or date (everything attached stays)",
    "cmd.remove_session": "Remove session",
    "cmd.remove_session.help": "Remove the highlighted session while it has no audio, transcript or interview run",
    "cmd.edit_participant": "Edit participant",
    "cmd.edit_participant.help": "Give or revoke consent items, change role, sessions, name or contact",
    "records.choose_participant": "Choose the participant in Participants (↑ ↓), then press c again to edit them.",
    # -- edit session
    "records.session.title": "Edit session {id}",
    "records.session.explain": "Audio, transcripts and the interview run stay with the session under its new id.",
    "records.session.edited": "Session {id} saved.",
    "records.nothing_changed": "Nothing was changed.",
    "records.remove.confirm": "Remove session {id}? (Only a session without audio, transcript or interview run "
                              "can be removed.)",
    "records.remove.done": "Session {id} removed.",
    # -- edit participant
    "records.participant.title": "Edit participant {code}",
    "records.participant.sessions": "Sessions",
    "records.participant.no_sessions": "No sessions yet.",
    "records.participant.history": "Consent history",
    "records.participant.history.none": "No consent recorded yet.",
    "records.history.given": "{date}  {item} given (recorded by {by})",
    "records.history.revoked": "{date}  {item} revoked (recorded by {by})",
    "records.participant.linkage_closed": "Name and contact: this key cannot open the linkage key.",
    "records.participant.audio_warning": "Revoking audio stops a running recording of their sessions at once.",
    "records.participant.edited": "Participant {code} saved: {changes}.",
    "records.change.gave": "gave {items}",
    "records.change.revoked": "revoked {items}",
    "records.change.fields": "changed {fields}",
    "records.field.role": "role",
    "records.field.sessions": "sessions",
    "records.field.name": "name",
    "records.field.contact": "contact",
    "records.withdrawn": ("Participant {code} withdrew on {date}, and a withdrawal cannot be undone; "
                          "if the person wants to take part again, add them with a new code and a new consent."),
    # -- new project (open screen)
    "open.new": "New project",
    "key.new_project": "New project",
    "cmd.new_project": "New project",
    "cmd.new_project.help": "Create a project (one study) in a new or empty folder",
    "new.title": "New project",
    "new.folder": "Project folder (new or empty)",
    "new.folder.placeholder": "e.g. ~/studies/my-study",
    "new.study_title": "Title",
    "new.study_title.placeholder": "the study's title",
    "new.institution": "Responsible institution",
    "new.institution.placeholder": "e.g. University of Oslo",
    "new.sikt": "Sikt reference",
    "new.sikt.placeholder": "e.g. 123456 (optional)",
    "new.end_date": "Project end date",
    "new.end_date.placeholder": "YYYY-MM-DD (optional)",
    "new.access": "Who may access the data",
    "new.access.placeholder": "e.g. student, supervisor (comma between)",
    "new.passphrase": "Passphrase",
    "new.passphrase.placeholder": "at least 8 characters; a few words is best",
    "new.repeat": "Passphrase again",
    "new.repeat.placeholder": "the same passphrase",
    "new.language": "Language of the interviews",
    "lang.nb": "Norwegian bokmål",
    "lang.nn": "Norwegian nynorsk",
    "lang.en": "English",
    "new.create": "Create",
    "new.back": "Back",
    "new.busy": "Creating the project (encrypting its keys)…",
    "new.empty_folder": "Type the folder for the new project.",
    "new.passphrases_differ": "The two passphrases differ: type the same passphrase twice.",
    "new.created": "Created the project '{title}'.",
    # -- recording stopped because consent changed
    "rec.consent_revoked": "Recording stopped: {codes} no longer consent to audio recording. Take {take} ({length}) "
                           "is kept.",
    # -- errors of this area (interviewkit.tui.errors renders error.<code>)
    "error.session.nothing_to_change": "nothing to change in session {id}",
    "error.session.rename_needs_linkage": ("renaming a session needs the linkage key (its anonymisation decisions "
                                           "are kept by session id); unlock with the passphrase or a key with "
                                           "access to names"),
    "error.session.not_empty": ("session {id} already has audio, a transcript or an interview run, so it cannot be "
                                "removed — correct it instead"),
    "error.participant.nothing_to_change": "nothing to change for {code}",
    "error.consent.give_and_revoke": "'{item}' is both given and revoked — choose one",
    "error.participant.withdrawn": ("participant {code} withdrew on {date}, and a withdrawal cannot be undone — "
                                    "add the person with a new code and a new consent if they want to take part "
                                    "again"),
    "error.participant.session_recorded": ("session {session} already has audio or a transcript with {code} in it; "
                                           "taking them out "
                                           "would hide it from a withdrawal — leave them in the session"),
    "error.recording.consent_revoked": "{codes} no longer consent to audio recording, so the recording stopped",
    "error.project.short_passphrase": "the passphrase is shorter than {min} characters — choose a longer one "
                                      "(a few words is best)",
}

NB: dict[str, str] = {
    "key.edit_consent": "Samtykke",
    "cmd.edit_consent": "Endre samtykket til en deltaker",
    "cmd.edit_consent.help": "Gi eller trekk samtykke for noen i dette intervjuet (trekkes lydopptak, stopper opptaket)",
    "interview.consent.choose": "Hvem endrer samtykket sitt?",
    # -- key bindings and command palette (home screen)
    "key.edit_session": "Endre intervju",
    "key.remove_session": "Fjern intervju",
    "key.edit_participant": "Endre deltaker",
    "cmd.edit_session": "Endre intervju",
    "cmd.edit_session.help": "Rett ID, type eller dato for det valgte intervjuet (alt som hører til, blir med)",
    "cmd.remove_session": "Fjern intervju",
    "cmd.remove_session.help": "Fjern det valgte intervjuet så lenge det ikke har lyd, transkripsjon eller "
                               "gjennomføring",
    "cmd.edit_participant": "Endre deltaker",
    "cmd.edit_participant.help": "Gi eller trekk samtykkepunkter, endre rolle, intervju, navn eller kontakt",
    "records.choose_participant": ("Velg deltakeren under Deltakere (↑ ↓), og trykk c igjen for å endre "
                                   "vedkommende."),
    # -- edit session
    "records.session.title": "Endre intervju {id}",
    "records.session.explain": "Lyd, transkripsjoner og gjennomføringen følger intervjuet under den nye ID-en.",
    "records.session.edited": "Intervju {id} er lagret.",
    "records.nothing_changed": "Ingenting ble endret.",
    "records.remove.confirm": "Fjerne intervju {id}? (Bare et intervju uten lyd, transkripsjon eller gjennomføring "
                              "kan fjernes.)",
    "records.remove.done": "Intervju {id} er fjernet.",
    # -- edit participant
    "records.participant.title": "Endre deltaker {code}",
    "records.participant.sessions": "Intervju",
    "records.participant.no_sessions": "Ingen intervju ennå.",
    "records.participant.history": "Samtykkehistorikk",
    "records.participant.history.none": "Ingen samtykker registrert ennå.",
    "records.history.given": "{date}  {item} gitt (registrert av {by})",
    "records.history.revoked": "{date}  {item} trukket (registrert av {by})",
    "records.participant.linkage_closed": "Navn og kontakt: denne nøkkelen kan ikke åpne koblingsnøkkelen.",
    "records.participant.audio_warning": "Trekkes samtykket til lyd, stopper et pågående opptak av intervjuene "
                                         "deres med en gang.",
    "records.participant.edited": "Deltaker {code} er lagret: {changes}.",
    "records.change.gave": "ga {items}",
    "records.change.revoked": "trakk {items}",
    "records.change.fields": "endret {fields}",
    "records.field.role": "rolle",
    "records.field.sessions": "intervju",
    "records.field.name": "navn",
    "records.field.contact": "kontakt",
    "records.withdrawn": ("Deltaker {code} trakk seg {date}, og en tilbaketrekking kan ikke gjøres om; "
                          "vil personen være med igjen, legg vedkommende til med ny kode og nytt samtykke."),
    # -- new project (open screen)
    "open.new": "Nytt prosjekt",
    "key.new_project": "Nytt prosjekt",
    "cmd.new_project": "Nytt prosjekt",
    "cmd.new_project.help": "Opprett et prosjekt (én studie) i en ny eller tom mappe",
    "new.title": "Nytt prosjekt",
    "new.folder": "Prosjektmappe (ny eller tom)",
    "new.folder.placeholder": "f.eks. ~/studier/min-studie",
    "new.study_title": "Tittel",
    "new.study_title.placeholder": "tittelen på studien",
    "new.institution": "Ansvarlig institusjon",
    "new.institution.placeholder": "f.eks. Universitetet i Oslo",
    "new.sikt": "Sikt-referanse",
    "new.sikt.placeholder": "f.eks. 123456 (valgfritt)",
    "new.end_date": "Prosjektslutt",
    "new.end_date.placeholder": "ÅÅÅÅ-MM-DD (valgfritt)",
    "new.access": "Hvem som har tilgang til dataene",
    "new.access.placeholder": "f.eks. student, veileder (komma mellom)",
    "new.passphrase": "Passordfrase",
    "new.passphrase.placeholder": "minst 8 tegn; noen ord er best",
    "new.repeat": "Passordfrase igjen",
    "new.repeat.placeholder": "den samme passordfrasen",
    "new.language": "Språket i intervjuene",
    "lang.nb": "Bokmål",
    "lang.nn": "Nynorsk",
    "lang.en": "Engelsk",
    "new.create": "Opprett",
    "new.back": "Tilbake",
    "new.busy": "Oppretter prosjektet (krypterer nøklene) …",
    "new.empty_folder": "Skriv inn mappen til det nye prosjektet.",
    "new.passphrases_differ": "De to passordfrasene er ulike: skriv den samme passordfrasen to ganger.",
    "new.created": "Prosjektet «{title}» er opprettet.",
    # -- recording stopped because consent changed
    "rec.consent_revoked": "Opptaket stoppet: {codes} samtykker ikke lenger til lydopptak. Opptak {take} ({length}) "
                           "er tatt vare på.",
    # -- errors of this area
    "error.session.nothing_to_change": "ingenting å endre i intervju {id}",
    "error.session.rename_needs_linkage": ("å gi et intervju ny ID krever koblingsnøkkelen (anonymiseringsvalgene "
                                           "lagres per intervju-ID); lås opp med passordfrasen eller en nøkkel "
                                           "med tilgang til navn"),
    "error.session.not_empty": ("intervju {id} har allerede lyd, transkripsjon eller gjennomføring og kan ikke "
                                "fjernes – rett det i stedet"),
    "error.participant.nothing_to_change": "ingenting å endre for {code}",
    "error.consent.give_and_revoke": "«{item}» er både gitt og trukket – velg ett av dem",
    "error.participant.withdrawn": ("deltaker {code} trakk seg {date}, og en tilbaketrekking kan ikke gjøres om – "
                                    "legg personen til med ny kode og nytt samtykke hvis vedkommende vil være med "
                                    "igjen"),
    "error.participant.session_recorded": ("intervju {session} har allerede lyd eller transkripsjon med {code}; tas "
                                           "deltakeren ut, "
                                           "blir det skjult for en tilbaketrekking – la deltakeren stå i "
                                           "intervjuet"),
    "error.recording.consent_revoked": "{codes} samtykker ikke lenger til lydopptak, så opptaket stoppet",
    "error.project.short_passphrase": "passordfrasen er kortere enn {min} tegn – velg en lengre (noen ord er best)",
}
