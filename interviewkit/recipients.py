"""Who can decrypt: add or remove age recipients, and re-encrypt every file to match.

The index records the new recipient set and a ``rewrap_pending`` flag first; the files
are then re-encrypted in batches (each batch lands with one signed manifest write); the flag
is cleared last.  A run cut short (kill -9, a full disk) is finished by repeating the command,
or by ``interviewkit keys resume PROJECT`` (``resume_rewrap``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from interviewkit.errors import InvalidInput, NotFound
from interviewkit.project import Project
from interviewkit.vault.keys import parse_recipient

SCOPES = ("data", "linkage", "all")
Progress = Callable[[int, int], None]


@dataclass
class RecipientRow:
    key: str
    data: bool
    linkage: bool
    project_key: bool = False


def list_recipients(project: Project) -> list[RecipientRow]:
    index = project.index
    rows = [RecipientRow(index.project_recipient, True, True, project_key=True)]
    for key in dict.fromkeys([*index.data_recipients, *index.linkage_recipients]):
        rows.append(RecipientRow(key, key in index.data_recipients, key in index.linkage_recipients))
    return rows


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise InvalidInput("--scope", f"unknown scope '{scope}'", f"use one of {', '.join(SCOPES)}",
                           code="recipients.unknown_scope", params={"value": scope, "choices": ", ".join(SCOPES)})


def add_recipient(project: Project, key: str, scope: str = "data", progress: Progress | None = None) -> int:
    """Add an age public key; return the number of files re-encrypted.  A change of recipients that
    was cut short is finished first, so that repeating the command completes it."""
    _check_scope(scope)
    recipient = str(parse_recipient(key, "AGE_PUBLIC_KEY"))
    finished = resume_rewrap(project, progress)
    with project.writing() as change:
        index = project.index
        if recipient == index.project_recipient:
            raise InvalidInput("AGE_PUBLIC_KEY", "that is the project's own key", "it is a recipient already",
                               code="recipients.own_key")
        targets = [index.data_recipients] if scope == "data" else [index.linkage_recipients] if scope == "linkage" \
            else [index.data_recipients, index.linkage_recipients]
        if all(recipient in target for target in targets):
            if finished:  # the repeated command: the interrupted change is now complete
                return finished
            raise InvalidInput("AGE_PUBLIC_KEY", f"already a recipient ({scope})", "nothing to do",
                               code="recipients.already", params={"scope": scope})
        for target in targets:
            if recipient not in target:
                target.append(recipient)
        index.rewrap_pending = True
        change.log("keys.add-recipient", f"recipient:{recipient}", scope=scope)
    return resume_rewrap(project, progress)


def remove_recipient(project: Project, key: str, progress: Progress | None = None) -> int:
    recipient = str(parse_recipient(key, "AGE_PUBLIC_KEY"))
    finished = resume_rewrap(project, progress)
    with project.writing() as change:
        index = project.index
        if recipient == index.project_recipient:
            raise InvalidInput("AGE_PUBLIC_KEY", "the project's own key cannot be removed",
                               "rotating the project key is a data-steward task",
                               code="recipients.own_key_kept")
        if recipient not in index.data_recipients and recipient not in index.linkage_recipients:
            if finished:  # the repeated command: the interrupted removal is now complete
                return finished
            raise NotFound("AGE_PUBLIC_KEY", "not a recipient of this project", "see 'interviewkit keys list'",
                           code="recipients.not_found")
        held = {str(identity.to_public()) for identity in project.keyring.identities}
        if recipient in held and len(held) == 1:  # nothing would be left to finish the re-encryption with
            raise InvalidInput("AGE_PUBLIC_KEY", "this is the key you opened the project with",
                               "open it with the project passphrase or another key to remove this one",
                               code="recipients.opened_with")
        index.data_recipients = [k for k in index.data_recipients if k != recipient]
        index.linkage_recipients = [k for k in index.linkage_recipients if k != recipient]
        index.rewrap_pending = True
        change.log("keys.remove-recipient", f"recipient:{recipient}")
    return resume_rewrap(project, progress)


def resume_rewrap(project: Project, progress: Progress | None = None) -> int:
    """Re-encrypt every vault file to the recipients the index names."""
    with project.writing():
        if not project.index.rewrap_pending:
            return 0
        files = project.vault_files()
        project.reencrypt_files(files, project.recipients_for, progress)
        project.index.rewrap_pending = False
    return len(files)
