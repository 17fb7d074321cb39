"""The wording of the steward's reports (``report``), in English and Norwegian bokmål.

``HEADINGS`` are fixed: tools and tests look the sections up by them.  Every text here speaks of
kinds, counts and dates; none takes a name, a contact or transcript text.
"""

from __future__ import annotations

SECTIONS = ("study", "recording", "storage", "access", "transcription", "anonymisation", "exports",
            "withdrawals", "deletions")

HEADINGS: dict[str, dict[str, str]] = {
    "en": {"study": "## 1. Study", "recording": "## 2. Data collection", "storage": "## 3. Storage and security",
           "access": "## 4. Access", "transcription": "## 5. Transcription",
           "anonymisation": "## 6. De-identification", "exports": "## 7. Exports",
           "withdrawals": "## 8. Withdrawals", "deletions": "## 9. Deletion"},
    "no": {"study": "## 1. Studien", "recording": "## 2. Datainnsamling", "storage": "## 3. Lagring og sikkerhet",
           "access": "## 4. Tilgang", "transcription": "## 5. Transkribering",
           "anonymisation": "## 6. Avidentifisering", "exports": "## 7. Eksporter",
           "withdrawals": "## 8. Tilbaketrekninger", "deletions": "## 9. Sletting"},
}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "# Processing record: {title}",
        "generated": "_Made on {date} from the project index and the audit log ({n} entries; {check})._",
        "verified": "chain and signatures verified", "problems": "{n} problems found: run audit verify",
        "yes": "yes", "no": "no", "study_title": "Title", "institution": "Institution",
        "responsible": "Responsible", "approvals": "Approvals", "legal_basis": "Legal basis", "end_date": "End date",
        "deletion_policy": "Deletion policy", "audio": "audio", "linkage_key": "linkage key",
        "transcripts": "transcripts", "years_after_end": "{n} years after the end",
        "access_described": "Access (as described in the study)", "created": "Project created",
        "sessions": "Sessions", "people": "People", "consent_modes": "Consent of participants (how obtained)",
        "no_audio": "No audio recorded or imported (audit log).",
        "takes_microphone": "{n} takes recorded with a microphone in interviewkit ({hours} hours)",
        "takes_import": "{n} takes imported from recorder files ({hours} hours)",
        "audio_total": "In all {n} takes, {hours} hours of audio (audit log)",
        "storage": ("Every file of the project is an age v1 file (age-encryption.org/v1): X25519 recipients, "
                    "ChaCha20-Poly1305 in 64 KiB chunks, through the audited rage implementation. The project's "
                    "X25519 key is itself wrapped with the project passphrase (age scrypt). Nothing is stored in "
                    "plaintext but a marker file without study data; file and folder names are random ids. "
                    "The index, the audit log and each session's audio, transcripts and notes are encrypted to "
                    "the data recipients; names and contacts live only in the linkage key (`linkage.age`), "
                    "encrypted to the linkage recipients. Files are replaced atomically under a writer's lock. "
                    "The audit log is a hash chain signed with Ed25519 (public key `{key}`). "
                    "Encrypted files now: {files}."),
        "project_key": "project key (passphrase): all", "key": "Key", "scope": "Scope",
        "added": "added (scope {scope})", "removed": "removed", "recovery": "recorded as the recovery key",
        "rotated": "became the project key (replacing `{old}`)", "no_key_changes": "No recipients added or removed.",
        "no_transcription": "No machine transcription recorded.", "engine": "Engine", "model": "Model",
        "language": "Language", "takes": "Takes", "hours": "Hours", "dates": "Dates",
        "edits": "Transcript-wide edits (replace, rename speaker): {n}",
        "convention": "Convention", "detectors": "Detectors",
        "ner": "named-entity recognition when installed and asked for; every detection reviewed by a person",
        "decisions": "{n} review decisions ({entities} entities, {occurrences} single occurrences)",
        "relabels": "labels changed: {n}", "terms": "identifiers added by the reviewer: {n}",
        "linkage_destroyed": "Linkage key destroyed on {date}: the data is anonymous since",
        "linkage_kept": "Linkage key not destroyed: kept apart from the data, in its own encrypted file",
        "no_exports": "No exports.", "date": "Date", "format": "Format", "purpose": "Purpose",
        "identifiable": "Identifiable", "encrypted": "Encrypted",
        "withdrawn": "Participants who withdrew: {n}{dates}",
        "erasures": "Erasures recorded in the audit log: {n} ({dates})",
        "done": "Done", "due": "Due", "nothing": "Nothing.",
        "audio_deleted": "Audio deleted: {n} takes, {hours} hours ({dates})",
        "no_plan": "The retention plan is not available in this version.",
    },
    "no": {
        "title": "# Behandlingsoversikt: {title}",
        "generated": "_Laget {date} fra prosjektindeksen og revisjonsloggen ({n} oppføringer; {check})._",
        "verified": "kjede og signaturer kontrollert", "problems": "{n} problemer funnet: kjør audit verify",
        "yes": "ja", "no": "nei", "study_title": "Tittel", "institution": "Institusjon",
        "responsible": "Ansvarlig", "approvals": "Godkjenninger", "legal_basis": "Behandlingsgrunnlag",
        "end_date": "Sluttdato", "deletion_policy": "Sletteplan", "audio": "lyd", "linkage_key": "koblingsnøkkel",
        "transcripts": "transkripsjoner", "years_after_end": "{n} år etter slutt",
        "access_described": "Tilgang (slik studien beskriver den)", "created": "Prosjektet opprettet",
        "sessions": "Samtaler", "people": "Personer", "consent_modes": "Deltakernes samtykke (hvordan innhentet)",
        "no_audio": "Ingen lyd tatt opp eller importert (revisjonsloggen).",
        "takes_microphone": "{n} opptak med mikrofon i interviewkit ({hours} timer)",
        "takes_import": "{n} opptak importert fra opptakerfiler ({hours} timer)",
        "audio_total": "Til sammen {n} opptak, {hours} timer lyd (revisjonsloggen)",
        "storage": ("Hver fil i prosjektet er en age v1-fil (age-encryption.org/v1): X25519-mottakere, "
                    "ChaCha20-Poly1305 i blokker på 64 KiB, via den reviderte rage-implementasjonen. Prosjektets "
                    "X25519-nøkkel er selv kryptert med prosjektets passordfrase (age scrypt). Ingenting lagres i "
                    "klartekst unntatt en markørfil uten studiedata; fil- og mappenavn er tilfeldige id-er. "
                    "Indeksen, revisjonsloggen og hver samtales lyd, transkripsjoner og notater er kryptert til "
                    "datamottakerne; navn og kontaktinformasjon finnes bare i koblingsnøkkelen (`linkage.age`), "
                    "kryptert til koblingsmottakerne. Filer erstattes atomisk under en skrivelås. "
                    "Revisjonsloggen er en hasjkjede signert med Ed25519 (offentlig nøkkel `{key}`). "
                    "Krypterte filer nå: {files}."),
        "project_key": "prosjektnøkkel (passordfrase): alt", "key": "Nøkkel", "scope": "Omfang",
        "added": "lagt til (omfang {scope})", "removed": "fjernet", "recovery": "registrert som gjenopprettingsnøkkel",
        "rotated": "ble prosjektnøkkel (erstattet `{old}`)",
        "no_key_changes": "Ingen mottakere lagt til eller fjernet.",
        "no_transcription": "Ingen maskinell transkribering registrert.", "engine": "Motor", "model": "Modell",
        "language": "Språk", "takes": "Opptak", "hours": "Timer", "dates": "Datoer",
        "edits": "Endringer i hele transkripsjonen (erstatt, gi taler nytt navn): {n}",
        "convention": "Konvensjon", "detectors": "Detektorer",
        "ner": "navnegjenkjenning (NER) når installert og valgt; hvert treff vurdert av en person",
        "decisions": "{n} vurderingsbeslutninger ({entities} enheter, {occurrences} enkeltforekomster)",
        "relabels": "etiketter endret: {n}", "terms": "identifikatorer lagt til av vurderer: {n}",
        "linkage_destroyed": "Koblingsnøkkelen slettet {date}: dataene er anonyme siden",
        "linkage_kept": "Koblingsnøkkelen er ikke slettet: oppbevart adskilt fra dataene, i en egen kryptert fil",
        "no_exports": "Ingen eksporter.", "date": "Dato", "format": "Format", "purpose": "Formål",
        "identifiable": "Identifiserbar", "encrypted": "Kryptert",
        "withdrawn": "Deltakere som har trukket seg: {n}{dates}",
        "erasures": "Slettinger registrert i revisjonsloggen: {n} ({dates})",
        "done": "Utført", "due": "Planlagt", "nothing": "Ingenting.",
        "audio_deleted": "Lyd slettet: {n} opptak, {hours} timer ({dates})",
        "no_plan": "Lagringsplanen er ikke tilgjengelig i denne versjonen.",
    },
}

# Index values in words (English keeps the values as they are written in the index).
VALUES: dict[str, dict[str, str]] = {
    "en": {"consent": "consent (GDPR art. 6(1)(a))", "public-interest": "public interest (GDPR art. 6(1)(e))",
           "legitimate-interest": "legitimate interest (GDPR art. 6(1)(f))"},
    "no": {"consent": "samtykke (GDPR art. 6 nr. 1 a)", "public-interest": "allmennhetens interesse (GDPR art. 6 nr. 1 e)",
           "legitimate-interest": "berettiget interesse (GDPR art. 6 nr. 1 f)", "other": "annet",
           "delete-at-end": "slettes ved slutt", "anonymise-at-end": "anonymiseres ved slutt", "archive": "arkiveres",
           "keep": "beholdes", "individual": "individuelle", "group": "gruppe", "participant": "deltakere",
           "interviewer": "intervjuere", "co-moderator": "medmoderatorer", "observer": "observatører",
           "written": "skriftlig", "oral": "muntlig", "digital": "digitalt", "labels": "etiketter ([Person 3])",
           "generic": "generiske etiketter ([navn])", "pseudonyms": "oppdiktede navn", "analysis": "analyse",
           "archive-purpose": "arkivering"},
}

ERASURE: dict[str, dict[str, str]] = {
    "en": {
        "title": "# Erasure after withdrawal: participant {code}",
        "study": "Study: {title} ({institution}).",
        "when": "You withdrew on {date}. Your data was erased on {time} (UTC), audit entry {seq}.",
        "not_withdrawn": "Participant {code} has not withdrawn.",
        "erased_h": "## What was erased", "kept_h": "## What was kept, and why",
        "exports_h": "## Exports that must be replaced", "sessions_h": "## Per session",
        "linkage-entry": "Your name and contact details (the linkage key).",
        "consent-record": "Your consent record.",
        "audio": "The audio recordings of your own interviews.",
        "transcript": "The transcripts of your own interviews.",
        "transcript-turns": "What you said in group conversations: each turn replaced by a marked gap.",
        "name-mentions": "Your name where others mentioned you in those conversations.",
        "speaker-name": "Your name as a speaker label in the transcripts.",
        "transcript-revisions": "Earlier versions of the transcripts concerned.",
        "machine-transcriptions": "The automatic transcriptions of the recordings concerned.",
        "interview-notes": "The interviewer's notes from your own interviews.",
        "pseudonym-map": "The entries that tied you to a pseudonym.",
        "anonymisation-terms": "Words the reviewers had added to find your name.",
        "vocabulary": "Your name in the words given to the automatic transcription.",
        "placeholders": "Your name as a value the interview guides filled in.",
        "own": "{session}: your own interview: everything in it deleted ({takes} recordings, {minutes} min of audio).",
        "shared": "{session}: group conversation: {turns} of your turns replaced by a marked gap.",
        "shared_audio": ("{session}: the recording of this group conversation is kept: it holds the other "
                         "participants' contributions too."),
        "kept_fact": ("That you withdrew, on which date, under your participant code: so that no export or "
                      "archive ever includes you again."),
        "kept_audit": ("The audit log's entries about you (ids, dates and kinds of data, never names or what you "
                       "said): the log is signed and append-only, and is the proof of this erasure."),
        "kept_times": ("In group transcripts, when each of your turns began and ended, with your code, so that "
                       "the others' turns stay readable."),
        "exports_none": "None: no earlier export included your sessions.",
        "exports_intro": "These exports were made before you withdrew and included your sessions; each is replaced "
                         "by a new export without you, and the old copies are deleted:",
        "date": "Date", "format": "Format", "purpose": "Purpose", "sessions": "Sessions",
        "identifiable": "Identifiable", "entry": "Audit entry", "yes": "yes", "no": "no",
    },
    "no": {
        "title": "# Sletting etter tilbaketrekking: deltaker {code}",
        "study": "Studie: {title} ({institution}).",
        "when": "Du trakk deg {date}. Dataene dine ble slettet {time} (UTC), revisjonsoppføring {seq}.",
        "not_withdrawn": "Deltaker {code} har ikke trukket seg.",
        "erased_h": "## Hva som er slettet", "kept_h": "## Hva som er beholdt, og hvorfor",
        "exports_h": "## Eksporter som må erstattes", "sessions_h": "## Per samtale",
        "linkage-entry": "Navnet ditt og kontaktinformasjonen (koblingsnøkkelen).",
        "consent-record": "Samtykkeerklæringen din.",
        "audio": "Lydopptakene av dine egne intervjuer.",
        "transcript": "Transkripsjonene av dine egne intervjuer.",
        "transcript-turns": "Det du sa i gruppesamtaler: hver ytring erstattet med en markert luke.",
        "name-mentions": "Navnet ditt der andre nevnte deg i disse samtalene.",
        "speaker-name": "Navnet ditt som talernavn i transkripsjonene.",
        "transcript-revisions": "Tidligere versjoner av de berørte transkripsjonene.",
        "machine-transcriptions": "De maskinelle transkripsjonene av de berørte opptakene.",
        "interview-notes": "Intervjuerens notater fra dine egne intervjuer.",
        "pseudonym-map": "Oppføringene som knyttet deg til et pseudonym.",
        "anonymisation-terms": "Ord som de som anonymiserte, hadde lagt til for å finne navnet ditt.",
        "vocabulary": "Navnet ditt i ordlisten til den maskinelle transkripsjonen.",
        "placeholders": "Navnet ditt som en verdi intervjuguidene fylte inn.",
        "own": "{session}: ditt eget intervju: alt innhold slettet ({takes} opptak, {minutes} min lyd).",
        "shared": "{session}: gruppesamtale: {turns} av dine ytringer erstattet med en markert luke.",
        "shared_audio": ("{session}: opptaket av denne gruppesamtalen er beholdt: det inneholder også de andre "
                         "deltakernes bidrag."),
        "kept_fact": ("At du trakk deg, hvilken dato, under deltakerkoden din: slik at ingen eksport eller "
                      "arkivering tar deg med igjen."),
        "kept_audit": ("Revisjonsloggens oppføringer om deg (id-er, datoer og typer data, aldri navn eller hva du "
                       "sa): loggen er signert og kan bare utvides, og er beviset på denne slettingen."),
        "kept_times": ("I gruppetranskripsjoner: når hver av dine ytringer begynte og sluttet, med koden din, "
                       "slik at de andres ytringer fortsatt kan leses."),
        "exports_none": "Ingen: ingen tidligere eksport inneholdt samtalene dine.",
        "exports_intro": "Disse eksportene ble laget før du trakk deg og inneholdt samtalene dine; hver erstattes "
                         "av en ny eksport uten deg, og de gamle kopiene slettes:",
        "date": "Dato", "format": "Format", "purpose": "Formål", "sessions": "Samtaler",
        "identifiable": "Identifiserbar", "entry": "Revisjonsoppføring", "yes": "ja", "no": "nei",
    },
}
