"""Unwrap the project identity in a child process.

pyrage holds Python's global interpreter lock while scrypt runs (about half a second
by design), which would freeze a TUI even from a worker thread.  The TUI therefore asks
a child process: passphrase in on stdin, identity (or a typed error) out on stdout,
through pipes — memory only, never a file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pyrage import x25519

from interviewkit import errors
from interviewkit.vault.keys import ProjectIdentity, unwrap_project_identity


def unwrap_identity_in_child(path: Path, passphrase: str) -> ProjectIdentity:
    result = subprocess.run([sys.executable, "-m", "interviewkit.vault.unwrap", str(path)],
                            input=passphrase.encode(), capture_output=True, timeout=120)
    try:
        reply = json.loads(result.stdout)
    except ValueError:
        raise errors.IdentityError(path, "could not unwrap the identity (the helper process failed)",
                                   "try again; if it persists, unlock from the command line",
                                   code="identity.unwrap_failed") from None
    if "identity" in reply:
        return ProjectIdentity(x25519.Identity.from_str(reply["identity"]), reply.get("signing_public"))
    error_class = getattr(errors, reply.get("class", ""), errors.IdentityError)
    if not (isinstance(error_class, type) and issubclass(error_class, errors.InterviewkitError)):
        error_class = errors.IdentityError
    raise error_class(reply.get("where") or path, reply.get("problem", "cannot unwrap"), reply.get("hint", ""),
                      code=reply.get("code", ""), params=reply.get("params"), field=reply.get("field", ""))


def _child(path: str) -> int:
    passphrase = sys.stdin.buffer.read().decode()
    try:
        unwrapped = unwrap_project_identity(Path(path).read_bytes(), passphrase, Path(path))
    except errors.InterviewkitError as error:
        reply = {"class": type(error).__name__, "where": error.where, "problem": error.problem, "hint": error.hint,
                 "code": error.code, "params": {k: str(v) for k, v in error.params.items()}, "field": error.field}
    except OSError as error:
        reply = {"class": "IdentityError", "where": path, "problem": f"cannot read ({error.strerror})",
                 "hint": "restore it from a backup, or unlock with an identity file"}
    else:
        reply = {"identity": str(unwrapped.identity), "signing_public": unwrapped.signing_public}
    sys.stdout.write(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
