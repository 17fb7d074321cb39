"""Indirect identifiers: things that are not names but may point at one person — the only
*kommunedirektør*, a rare role, an age next to a first name, a named local project.  They are
shown to the reviewer as warnings, never replaced automatically (replacing every job title would
destroy the data; keeping the one that identifies would break the promise)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Roles usually held by one person in a municipality, school, firm or parish.
UNIQUE_ROLES = (
    "kommunedirektør", "kommunedirektøren", "rådmann", "rådmannen", "ordfører", "ordføreren", "varaordfører",
    "rektor", "rektoren", "inspektør", "inspektøren", "styrer", "styreren", "daglig leder", "daglige leder",
    "enhetsleder", "enhetslederen", "avdelingsleder", "avdelingslederen", "kommuneoverlege", "kommuneoverlegen",
    "helsesykepleier", "helsesykepleieren", "barnevernsleder", "nav-leder", "sogneprest", "soknepresten",
    "sokneprest", "biskop", "biskopen", "lensmann", "lensmannen", "politimester", "politimesteren",
    "kommunalsjef", "kommunalsjefen", "fylkesdirektør", "direktør", "direktøren", "konsernsjef",
    "administrerende direktør", "tillitsvalgt", "hovedtillitsvalgt", "verneombud",
    "headteacher", "head teacher", "principal", "mayor", "chief executive", "ceo", "managing director",
    "head of department", "vicar", "bishop", "chief of police", "union representative",
)
_ROLE = re.compile(r"(?<!\w)(" + "|".join(re.escape(r) for r in sorted(UNIQUE_ROLES, key=len, reverse=True))
                   + r")(?!\w)", re.IGNORECASE)
_AGE = re.compile(r"(?<!\w)(\d{1,3})\s*(?:år(?:\s+gammel)?|åring|-åring|years?\s+old|-year-old)(?!\w)"
                  r"|(?<!\w)(?:aged?|alder)\s+(\d{1,3})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class IndirectWarning:
    start: int
    end: int
    kind: str      # "role" | "age"
    text: str
    message: str


def indirect_identifiers(text: str) -> Iterator[IndirectWarning]:
    for m in _ROLE.finditer(text):
        yield IndirectWarning(m.start(), m.end(), "role", m.group(),
                      "a role one person may hold: could identify them together with the place")
    for m in _AGE.finditer(text):
        yield IndirectWarning(m.start(), m.end(), "age", m.group(),
                      "an age: with a first name, gender or role it may identify")
