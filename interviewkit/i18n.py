"""User-interface text in English and Norwegian bokmål, and the choice of language.

``t(key, lang, **fmt)`` looks a text up (falling back to English, then to the key
itself).  ``resolve_language`` picks the language: an explicit choice, then the
``INTERVIEWKIT_LANG`` environment variable, then the settings file
(``$XDG_CONFIG_HOME/interviewkit/settings.json``, key ``"language"``), then the
locale (``LC_ALL``/``LC_MESSAGES``/``LANG`` starting with nb, no or nn), then English.

The settings file holds the language and nothing else: never study data.
"""

from __future__ import annotations

import os
from pathlib import Path

from interviewkit.errors import InvalidInput
from interviewkit.settings import load_setting, save_setting

LANGUAGES = ("en", "nb")
DEFAULT_LANGUAGE = "en"
ENV_LANGUAGE = "INTERVIEWKIT_LANG"

CATALOGS: dict[str, dict[str, str]] = {
    "en": {
        # -- general
        "language.switched": "Language: English",
        "common.cancel": "Cancel",
        "common.close": "Close",
        "common.save": "Save",
        "common.yes": "Yes",
        "common.no": "No",
        "common.busy": "Please wait until the current task has finished.",
        "common.working": "Working…",
        "common.none": "–",
        "error.unexpected": "Unexpected error ({kind}): {message} — this is a bug in interviewkit; please report it",
        "error.settings": "Could not save the language setting: {message}",
        # -- key bindings (footer) and command palette
        "key.quit": "Quit",
        "key.switch_language": "Norsk",
        "key.command_palette": "Commands",
        "key.back": "Back",
        "key.cancel": "Cancel",
        "key.close": "Close",
        "key.save": "Save",
        "key.add_session": "Add session",
        "key.add_participant": "Add participant",
        "key.withdraw": "Withdraw",
        "key.recipients": "Recipients",
        "key.verify_audit": "Verify log",
        "key.reload": "Reload",
        "cmd.quit": "Quit",
        "cmd.quit.help": "Close interviewkit",
        "cmd.language": "Switch language to Norsk (bokmål)",
        "cmd.language.help": "Bytt språk til norsk – the choice is saved for next time",
        "cmd.add_session": "Add session",
        "cmd.add_session.help": "Add an interview session (individual or group)",
        "cmd.add_participant": "Add participant",
        "cmd.add_participant.help": "Add a participant with a consent record",
        "cmd.withdraw": "Withdraw participant",
        "cmd.withdraw.help": "Record that the selected participant withdraws and erase their personal data",
        "cmd.recipients": "Recipients",
        "cmd.recipients.help": "Who can decrypt the project: list, add or remove age keys",
        "cmd.verify_audit": "Verify audit log",
        "cmd.verify_audit.help": "Check the hash chain and signatures of the audit log",
        "cmd.reload": "Reload project",
        "cmd.reload.help": "Read the project again from disk",
        "cmd.theme": "Theme",
        "cmd.theme.help": "Change the colour theme",
        "cmd.keys": "Keys",
        "cmd.keys.help": "Show the keys and help for the focused widget",
        "cmd.keys.hide": "Hide keys",
        "cmd.keys.hide.help": "Hide the keys and help panel",
        "cmd.maximize": "Maximize",
        "cmd.maximize.help": "Maximize the focused widget",
        "cmd.minimize": "Minimize",
        "cmd.minimize.help": "Restore the widget to its normal size",
        "palette.placeholder": "Search for commands…",
        "screenshot.disabled": "Screenshots are disabled: they would write study data to disk unencrypted.",
        # -- open screen
        "open.title": "Open project",
        "open.folder": "Project folder",
        "open.placeholder": "path to the project folder",
        "open.button": "Open",
        "open.empty": "Type the path of a project folder.",
        # -- unlock screen
        "unlock.title": "Unlock project",
        "unlock.project": "Project: {path}",
        "unlock.passphrase": "Passphrase",
        "unlock.passphrase.placeholder": "project passphrase",
        "unlock.identity": "Identity file (optional)",
        "unlock.identity.placeholder": "path to an age identity file, e.g. a data steward's key",
        "unlock.button": "Unlock",
        "unlock.busy": "Unlocking…",
        "unlock.empty": "Type the passphrase, or give an identity file.",
        # -- home screen
        "home.title": "Project",
        "home.institution": "Institution: {value}",
        "home.approvals": "Approvals: {value}",
        "home.end_date": "Project end: {value}",
        "home.sessions": "Sessions",
        "home.participants": "Participants",
        "home.no_linkage": "Names are hidden: this key cannot read the linkage key.",
        "home.no_selection": "Select a participant in the table first.",
        "home.verifying": "Verifying the audit log…",
        "home.reloaded": "Project reloaded.",
        "col.session": "Session",
        "col.kind": "Kind",
        "col.date": "Date",
        "col.count": "Participants",
        "col.code": "Code",
        "col.name": "Name",
        "col.role": "Role",
        "col.sessions": "Sessions",
        "col.status": "Consent",
        # consent items: short (table header) and long (form)
        "item.participation": "Participation",
        "item.audio": "Audio",
        "item.video": "Video",
        "item.quotes": "Quotes",
        "item.archiving": "Archiving",
        "item.followup": "Follow-up",
        "item.short.participation": "Part.",
        "item.short.audio": "Audio",
        "item.short.video": "Video",
        "item.short.quotes": "Quotes",
        "item.short.archiving": "Arch.",
        "item.short.followup": "Follow",
        "status.consented": "consented",
        "status.partial": "partial",
        "status.none": "none",
        "status.withdrawn": "withdrawn",
        "kind.individual": "individual",
        "kind.group": "group",
        "role.participant": "participant",
        "role.interviewer": "interviewer",
        "role.co-moderator": "co-moderator",
        "role.observer": "observer",
        "mode.written": "written",
        "mode.oral": "oral",
        "mode.digital": "digital",
        "scope.data": "data",
        "scope.linkage": "linkage key",
        "scope.all": "all",
        # -- add session
        "session.title": "Add session",
        "session.id": "Session id",
        "session.id.placeholder": "e.g. S02",
        "session.kind": "Kind",
        "session.date": "Date",
        "session.date.placeholder": "YYYY-MM-DD (optional)",
        "session.added": "Session {id} added.",
        # -- add participant
        "participant.title": "Add participant",
        "participant.code": "Code",
        "participant.code.placeholder": "e.g. D6",
        "participant.name": "Name",
        "participant.name.placeholder": "stored in the linkage key only",
        "participant.contact": "Contact",
        "participant.contact.placeholder": "e-mail or phone (optional)",
        "participant.role": "Role",
        "participant.session": "Session",
        "participant.session.none": "(none)",
        "participant.mode": "Consent given",
        "participant.form_version": "Form version",
        "participant.form_version.placeholder": "e.g. v2",
        "participant.date": "Consent date",
        "participant.date.placeholder": "YYYY-MM-DD (empty: today)",
        "participant.obtained_by": "Obtained by",
        "participant.obtained_by.placeholder": "code of the interviewer, e.g. I",
        "participant.consent": "Consent to",
        "participant.added": "Participant {code} added.",
        # -- withdraw
        "withdraw.title": "Withdraw participant {code}",
        "withdraw.explain": ("This erases the name, contact and consent record of {code} and records the "
                             "withdrawal in the audit log. It cannot be undone."),
        "withdraw.prompt": "Type the code {code} to confirm:",
        "withdraw.button": "Withdraw",
        "withdraw.done": "Participant {code} has withdrawn; their personal data was erased.",
        "withdraw.already": "Participant {code} withdrew on {date}.",
        # -- recipients
        "recipients.title": "Recipients",
        "recipients.explain": "Everyone listed can decrypt the project files in the given scope.",
        "recipients.key": "Key",
        "recipients.data": "Data",
        "recipients.linkage": "Linkage key",
        "recipients.note": "Note",
        "recipients.project_key": "project key",
        "recipients.new.placeholder": "paste an age public key (age1…)",
        "recipients.add": "Add key",
        "recipients.remove": "Remove selected",
        "recipients.rewrapping": "Re-encrypting files…",
        "recipients.added": "Key added; {count} files re-encrypted.",
        "recipients.removed": "Key removed; {count} files re-encrypted.",
        "recipients.confirm_remove": "Remove {key}? It will no longer be able to decrypt new versions of the files.",
        "recipients.empty": "Paste an age public key first.",
        "recipients.no_selection": "Select a key in the table first.",
        # -- audit
        "audit.title": "Audit log",
        "audit.ok": "{count} entries, no problems",
        "audit.problems": "{count} entries, {problems} problems:",
    },
    "nb": {
        # -- general
        "language.switched": "Språk: norsk (bokmål)",
        "common.cancel": "Avbryt",
        "common.close": "Lukk",
        "common.save": "Lagre",
        "common.yes": "Ja",
        "common.no": "Nei",
        "common.busy": "Vent til den pågående oppgaven er ferdig.",
        "common.working": "Arbeider …",
        "common.none": "–",
        "error.unexpected": "Uventet feil ({kind}): {message} – dette er en feil i interviewkit; meld gjerne fra",
        "error.settings": "Kunne ikke lagre språkvalget: {message}",
        # -- key bindings (footer) and command palette
        "key.quit": "Avslutt",
        "key.switch_language": "English",
        "key.command_palette": "Kommandoer",
        "key.back": "Tilbake",
        "key.cancel": "Avbryt",
        "key.close": "Lukk",
        "key.save": "Lagre",
        "key.add_session": "Nytt intervju",
        "key.add_participant": "Ny deltaker",
        "key.withdraw": "Trekk tilbake",
        "key.recipients": "Mottakere",
        "key.verify_audit": "Kontroller logg",
        "key.reload": "Last inn på nytt",
        "cmd.quit": "Avslutt",
        "cmd.quit.help": "Lukk interviewkit",
        "cmd.language": "Switch language to English",
        "cmd.language.help": "Bytt språk til engelsk – valget lagres til neste gang",
        "cmd.add_session": "Legg til intervju",
        "cmd.add_session.help": "Legg til et intervju (individuelt eller gruppe)",
        "cmd.add_participant": "Legg til deltaker",
        "cmd.add_participant.help": "Legg til en deltaker med samtykkeerklæring",
        "cmd.withdraw": "Trekk tilbake deltaker",
        "cmd.withdraw.help": "Registrer at valgt deltaker trekker seg, og slett personopplysningene",
        "cmd.recipients": "Mottakere",
        "cmd.recipients.help": "Hvem som kan dekryptere prosjektet: vis, legg til eller fjern age-nøkler",
        "cmd.verify_audit": "Kontroller revisjonsloggen",
        "cmd.verify_audit.help": "Kontroller hashkjeden og signaturene i revisjonsloggen",
        "cmd.reload": "Last inn prosjektet på nytt",
        "cmd.reload.help": "Les prosjektet fra disken igjen",
        "cmd.theme": "Fargetema",
        "cmd.theme.help": "Bytt fargetema",
        "cmd.keys": "Taster",
        "cmd.keys.help": "Vis tastene og hjelp for feltet som har fokus",
        "cmd.keys.hide": "Skjul taster",
        "cmd.keys.hide.help": "Skjul panelet med taster og hjelp",
        "cmd.maximize": "Maksimer",
        "cmd.maximize.help": "Vis feltet som har fokus, over hele skjermen",
        "cmd.minimize": "Gjenopprett",
        "cmd.minimize.help": "Vis feltet i vanlig størrelse igjen",
        "palette.placeholder": "Søk etter kommandoer …",
        "screenshot.disabled": "Skjermbilder er slått av: de ville lagret forskningsdata ukryptert på disken.",
        # -- open screen
        "open.title": "Åpne prosjekt",
        "open.folder": "Prosjektmappe",
        "open.placeholder": "stien til prosjektmappen",
        "open.button": "Åpne",
        "open.empty": "Skriv stien til en prosjektmappe.",
        # -- unlock screen
        "unlock.title": "Lås opp prosjekt",
        "unlock.project": "Prosjekt: {path}",
        "unlock.passphrase": "Passordfrase",
        "unlock.passphrase.placeholder": "prosjektets passordfrase",
        "unlock.identity": "Identitetsfil (valgfritt)",
        "unlock.identity.placeholder": "sti til en age-identitetsfil, f.eks. nøkkelen til en dataforvalter",
        "unlock.button": "Lås opp",
        "unlock.busy": "Låser opp …",
        "unlock.empty": "Skriv passordfrasen, eller oppgi en identitetsfil.",
        # -- home screen
        "home.title": "Prosjekt",
        "home.institution": "Institusjon: {value}",
        "home.approvals": "Godkjenninger: {value}",
        "home.end_date": "Prosjektslutt: {value}",
        "home.sessions": "Intervjuer",
        "home.participants": "Deltakere",
        "home.no_linkage": "Navn er skjult: denne nøkkelen kan ikke lese koblingsnøkkelen.",
        "home.no_selection": "Velg først en deltaker i tabellen.",
        "home.verifying": "Kontrollerer revisjonsloggen …",
        "home.reloaded": "Prosjektet er lastet inn på nytt.",
        "col.session": "Intervju",
        "col.kind": "Type",
        "col.date": "Dato",
        "col.count": "Deltakere",
        "col.code": "Kode",
        "col.name": "Navn",
        "col.role": "Rolle",
        "col.sessions": "Intervjuer",
        "col.status": "Samtykke",
        "item.participation": "Deltakelse",
        "item.audio": "Lydopptak",
        "item.video": "Video",
        "item.quotes": "Sitater",
        "item.archiving": "Arkivering",
        "item.followup": "Oppfølging",
        "item.short.participation": "Delt.",
        "item.short.audio": "Lyd",
        "item.short.video": "Video",
        "item.short.quotes": "Sitat",
        "item.short.archiving": "Arkiv",
        "item.short.followup": "Oppf.",
        "status.consented": "samtykket",
        "status.partial": "delvis",
        "status.none": "ingen",
        "status.withdrawn": "trukket",
        "kind.individual": "individuelt",
        "kind.group": "gruppe",
        "role.participant": "deltaker",
        "role.interviewer": "intervjuer",
        "role.co-moderator": "medmoderator",
        "role.observer": "observatør",
        "mode.written": "skriftlig",
        "mode.oral": "muntlig",
        "mode.digital": "digitalt",
        "scope.data": "data",
        "scope.linkage": "koblingsnøkkel",
        "scope.all": "alt",
        # -- add session
        "session.title": "Legg til intervju",
        "session.id": "Intervju-ID",
        "session.id.placeholder": "f.eks. S02",
        "session.kind": "Type",
        "session.date": "Dato",
        "session.date.placeholder": "ÅÅÅÅ-MM-DD (valgfritt)",
        "session.added": "Intervju {id} er lagt til.",
        # -- add participant
        "participant.title": "Legg til deltaker",
        "participant.code": "Kode",
        "participant.code.placeholder": "f.eks. D6",
        "participant.name": "Navn",
        "participant.name.placeholder": "lagres bare i koblingsnøkkelen",
        "participant.contact": "Kontakt",
        "participant.contact.placeholder": "e-post eller telefon (valgfritt)",
        "participant.role": "Rolle",
        "participant.session": "Intervju",
        "participant.session.none": "(ingen)",
        "participant.mode": "Samtykke gitt",
        "participant.form_version": "Skjemaversjon",
        "participant.form_version.placeholder": "f.eks. v2",
        "participant.date": "Samtykkedato",
        "participant.date.placeholder": "ÅÅÅÅ-MM-DD (tomt: i dag)",
        "participant.obtained_by": "Innhentet av",
        "participant.obtained_by.placeholder": "koden til intervjueren, f.eks. I",
        "participant.consent": "Samtykke til",
        "participant.added": "Deltaker {code} er lagt til.",
        # -- withdraw
        "withdraw.title": "Trekk tilbake deltaker {code}",
        "withdraw.explain": ("Dette sletter navn, kontaktinformasjon og samtykkeerklæring for {code} og "
                             "fører tilbaketrekkingen inn i revisjonsloggen. Det kan ikke angres."),
        "withdraw.prompt": "Skriv koden {code} for å bekrefte:",
        "withdraw.button": "Trekk tilbake",
        "withdraw.done": "Deltaker {code} har trukket seg; personopplysningene er slettet.",
        "withdraw.already": "Deltaker {code} trakk seg {date}.",
        # -- recipients
        "recipients.title": "Mottakere",
        "recipients.explain": "Alle som står her, kan dekryptere prosjektfilene i det angitte omfanget.",
        "recipients.key": "Nøkkel",
        "recipients.data": "Data",
        "recipients.linkage": "Koblingsnøkkel",
        "recipients.note": "Merknad",
        "recipients.project_key": "prosjektnøkkel",
        "recipients.new.placeholder": "lim inn en offentlig age-nøkkel (age1…)",
        "recipients.add": "Legg til nøkkel",
        "recipients.remove": "Fjern valgt",
        "recipients.rewrapping": "Krypterer filene på nytt …",
        "recipients.added": "Nøkkelen er lagt til; {count} filer er kryptert på nytt.",
        "recipients.removed": "Nøkkelen er fjernet; {count} filer er kryptert på nytt.",
        "recipients.confirm_remove": "Fjerne {key}? Den vil ikke kunne dekryptere nye versjoner av filene.",
        "recipients.empty": "Lim inn en offentlig age-nøkkel først.",
        "recipients.no_selection": "Velg først en nøkkel i tabellen.",
        # -- audit
        "audit.title": "Revisjonslogg",
        "audit.ok": "{count} oppføringer, ingen problemer",
        "audit.problems": "{count} oppføringer, {problems} problemer:",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (falling back to English, then the key), formatted with ``fmt``."""
    text = CATALOGS.get(lang, {}).get(key)
    if text is None:
        text = CATALOGS[DEFAULT_LANGUAGE].get(key, key)
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def normalize(value: str | None) -> str | None:
    """Map a language or locale name (``nb``, ``no_NO.UTF-8``, ``nn``, ``en_GB``) to ``nb``/``en``, else None."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith(("nb", "no", "nn")):
        return "nb"
    if value.startswith("en"):
        return "en"
    return None


def other_language(lang: str) -> str:
    return "nb" if lang == "en" else "en"


# -- choosing the language --------------------------------------------------------------


def locale_language() -> str | None:
    """nb if the locale (LC_ALL, then LC_MESSAGES, then LANG) is Norwegian, en if it is set to anything else."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "nb" if normalize(value) == "nb" else None
    return None


def resolve_language(explicit: str | None = None) -> str:
    """explicit argument > $INTERVIEWKIT_LANG > settings file > locale > English."""
    if explicit:
        chosen = normalize(explicit)
        if chosen is None:
            raise InvalidInput("--lang", f"unknown language '{explicit}'", "use 'en' (English) or 'nb' (norsk bokmål)")
        return chosen
    return (normalize(os.environ.get(ENV_LANGUAGE)) or load_language_setting() or locale_language()
            or DEFAULT_LANGUAGE)


def save_language_setting(lang: str) -> Path:
    """Remember the interface language in the settings file."""
    if lang not in LANGUAGES:
        raise InvalidInput("language", f"unknown language '{lang}'", f"use one of {', '.join(LANGUAGES)}")
    return save_setting("language", lang)


def load_language_setting() -> str | None:
    return normalize(load_setting("language"))
