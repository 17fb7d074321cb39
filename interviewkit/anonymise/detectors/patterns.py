"""Identifiers with a fixed shape, found by regular expressions.

Found (type, confidence):

* ``email`` (1.0): ``local@domain.tld``, Unicode letters (*æøå*) allowed; not a bare ``@mention``.
* ``url`` (0.95): ``http(s)://`` and ``ftp://`` links, ``www.`` hosts, and bare domains on a
  common top-level domain when a path follows (``nav.no/kontakt``).  Trailing ``.,;:!?`` and
  quotes are left out, a closing bracket too unless the URL opened it.
* ``phone``: Norwegian 8-digit numbers starting 2–9, written ``48123456``, ``481 23 456`` or
  ``48 12 34 56``, optionally after ``+47``/``0047``/``(+47)``; ``4812 3456``, ``481 234 56`` and
  ``48 123 456`` only after such a prefix or a cue word (*tlf, telefon, mobil, ring, phone,
  call* …).  International numbers after ``+``/``00`` and a country code.  1.0 with a prefix or
  cue, 0.9 for the grouped forms, 0.8 for eight bare digits.  British national numbers with
  their trunk 0, grouped by spaces (``0114 496 0321``, ``07700 900123``, ``020 7946 0958``):
  10–11 digits, 0.9 (1.0 after a cue).
* ``national_id``: fødselsnummer, D-number (day + 40), H-number (month + 40) and synthetic test
  numbers (month + 80), optionally split after the sixth digit; 1.0 when both control digits
  and the date are valid, 0.6 when invalid but right after a cue (*fødselsnummer, fnr* …).
* ``birth_date``: a date up to four words after a birth cue (*født, fødd, f., born, DOB,
  birthday* …), numeric or with a Norwegian/English month name, 0.9 (the hit is the date
  only); a bare year right after the cue (*født i 1985*), 0.7.
* ``address`` (0.9): Norwegian street + house number (+ ``, postcode Place``), postcode + place,
  ``Postboks``/``Pb.``; English number + street (*221B Baker Street*), UK postcodes.

Deliberately not found: dates without a birth cue; domains without a path (``nav.no``); phone
numbers grouped with dots or hyphens, or in other groupings without a cue; short service
numbers (113, 1881); bank account and organisation numbers; place names of more than one word
after a postcode.  For precision a postcode that reads as a year (1800–2099) followed by a
capitalised word (*i 2019 Trondheim*) is taken only when the place is in capitals (``2000
LILLESTRØM``) or the two alone fill a line, as in an address block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from interviewkit.anonymise.hits import Hit
from interviewkit.anonymise.text import Document

Candidate = tuple[int, int, str, float]

# A number must not continue another number or word, before or after it.
_FREE_BEFORE = r"(?<![\w/+@-])(?<!\d[ .,:])"
_FREE_AFTER = r"(?![\w@]|[.,:/-]\d|[ ]\d)"
_UP = "A-ZÆØÅÄÖÜÉ"

EMAIL = re.compile(r"(?<![\w.+%-])\w[\w+%-]*(?:\.[\w+%-]+)*@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}"
                   r"(?![\w-]|\.[^\W_])")
_TLDS = "no|com|org|net|edu|gov|int|io|eu|se|dk|fi|is|de|uk|nu|info|biz|me|app|dev|ai|co"
URL = re.compile(r"(?<![\w@.-])(?:(?:https?|ftp)://[^\s<>\"]+"
                 r"|www\.(?:[^\W_][\w-]*\.)+[^\W\d_]{2,}(?:[/?#:][^\s<>\"]*)?"
                 rf"|(?:[^\W_][\w-]*\.)+(?:{_TLDS})/[^\s<>\"]*)", re.IGNORECASE)

NO_PHONE = re.compile(
    _FREE_BEFORE + r"(?P<prefix>(?:\+|00)47[ ]?|\(\+?47\)[ ]?)?(?P<number>(?P<bare>[2-9]\d{7})"
    r"|(?P<grouped>[2-9]\d(?:[ ]\d\d){3}|[2-9]\d\d[ ]\d\d[ ]\d{3})"
    r"|(?P<cued>[2-9]\d{3}[ ]\d{4}|[2-9]\d\d[ ]\d{3}[ ]\d\d|[2-9]\d[ ]\d{3}[ ]\d{3}))" + _FREE_AFTER + r"(?![ ]?%)")
INTL_PHONE = re.compile(r"(?<![\w+])(?<!\d[ .,])(?P<prefix>\+|00)(?!47)[1-9]\d{0,2}(?:[ ]?\(\d{1,4}\))?"
                        r"[ -]?\d{1,12}(?:[ -]\d{1,8}){0,6}(?![\w@]|[.,:/-]\d|[ -]\d)")
UK_PHONE = re.compile(r"(?<![\w+])(?<!\d[ .,])0\d{2,4}[ ]\d{3,6}(?:[ ]\d{3,4})?(?![\w@]|[.,:/-]\d|[ ]\d)")
PHONE_CUE = re.compile(r"(?i)(?<!\w)(?:tlf|tel|telefon\w*|mobil\w*|mob|ring\w*|phone\w*|call\w*|cell\w*|sms)"
                       r"(?!\w)[^\d\n]{0,30}$")
MONEY_BEFORE = re.compile(r"(?i)(?:(?<!\w)(?:kr|nok|usd|eur|sek|dkk|gbp)\.?|[$€£])[ ]?$")
MONEY_AFTER = re.compile(r"(?i)[ ]?(?:%|,-|(?:kr|kroner|nok|prosent|percent|mill\w*|mrd|milliard\w*|euro|dollar\w*)"
                         r"(?!\w))")

NATIONAL_ID = re.compile(_FREE_BEFORE + r"(\d{6})[ .]?(\d{5})" + _FREE_AFTER)
ID_CUE = re.compile(r"(?i)(?<!\w)(?:fødselsnummer\w*|fødselsnr|personnummer\w*|personnr|f\.?nr|d-nummer\w*|d-nr"
                    r"|national id(?:entity)?(?: number)?|id-nummer\w*)\.?[^\d\n]{0,20}$")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_MONTH_NUMBERS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mai": 5, "may": 5, "jun": 6, "jul": 7, "aug": 8,
                  "sep": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12}
_MONTH = ("(?i:januar|january|februar|february|mars|march|april|mai|may|juni|june|juli|july|august|september"
          "|oktober|october|november|desember|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|okt|oct|nov|des|dec)")
_YEAR = r"(?:18|19|20)\d\d"
DATE = re.compile(
    rf"(?<![\w.,/-])(?:(?P<iy>{_YEAR})-(?P<im>\d\d?)-(?P<id>\d\d?)"
    r"|(?P<nd>\d\d?)(?P<sep>[./-])(?P<nm>\d\d?)(?P=sep)(?P<ny>\d{4}|\d\d)"
    rf"|(?P<td>\d\d?)(?:st|nd|rd|th|\.)?[ ](?:of[ ])?(?P<tm>{_MONTH})\.?(?:,?[ ](?P<ty>{_YEAR}))?"
    rf"|(?P<mm>{_MONTH})\.?[ ](?P<md>\d\d?)(?:st|nd|rd|th)?(?:,?[ ](?P<my>{_YEAR}))?"
    rf"|(?P<ym>{_MONTH})\.?[ ](?P<yy>{_YEAR}))(?!\w|[.,/-]\d)")
BIRTH_CUE = re.compile(r"(?i)(?<!\w)(?:(?P<born>født|fødd|fødde|fødte|f\.|fødselsdato\w*|fødselsdag\w*"
                       r"|fødselsår|born|date of birth|birth ?date)|birthday|d\.?o\.?b\.?)(?!\w)")
BIRTH_GAP = re.compile(r"[ :,–-]*(?:[^\W\d_]{1,40}\.?[ :,–-]+){0,4}")  # at most four words, one line, one sentence
YEAR_AFTER_CUE = re.compile(rf"(?i)[ ]+(?:(?:i|in|år|året|the year)[ ]+)?(?P<year>{_YEAR})(?!\w|[.,/-]\d)")

_SUFFIXES = ("gata|gate|gaten|veien|vegen|vei|veg|allé|alle|plass|plassen|bakken|stien|stuen|brygge|torget|kaia"
             "|lia|haugen|svingen|tunet|ringen")
_GENERIC = "gate|gata|gaten|vei|veien|veg|vegen|allé|plass|plassen|torg|torget|brygge|bakke|bakken|sti|stien"
_HOUSE = r"\d{1,3}(?:-\d{1,3})?(?:[ ]?[A-ZÆØÅ]|[a-zæøå])?(?![\w-])"
_POSTPLACE = rf"\d{{4}}[ ][{_UP}][^\W\d_]+(?![\w-])"
NO_STREET = re.compile(rf"(?<![\w-])(?P<street>[{_UP}][\w'-]+?(?:{_SUFFIXES})"
                       rf"|(?:[{_UP}][\w'-]*\.?[ ]){{1,2}}(?:{_GENERIC}))[ ](?P<house>{_HOUSE})(?:,?[ ]{_POSTPLACE})?")
_UK_CODE = r"[A-Z]{1,2}\d[A-Z\d]?[ ]\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"
EN_STREET = re.compile(r"(?<![\w-])\d{1,3}[A-Za-z]?[ ](?:[A-Z][\w'-]*[ ]){1,3}(?:Street|Road|Lane|Avenue|Drive"
                       r"|Close|Way|Place|Square|Terrace|Crescent|Gardens|Grove|Row|Mews|Court|St|Rd|Ave)(?![\w-])"
                       rf"(?:,?[ ](?:[A-Z][a-z]+,?[ ])?{_UK_CODE})?")
UK_POSTCODE = re.compile(rf"(?<![\w-]){_UK_CODE}")
PO_BOX = re.compile(r"(?<![\w-])(?:[Pp]ostboks|Pb\.|PB|P\.[ ]?O\.[ ]?[Bb]ox|PO[ ]Box)[ ]?\d{1,5}(?![\w-])"
                    rf"(?:,?[ ](?:[{_UP}][^\W\d_]+,?[ ])?{_POSTPLACE})?")
POSTCODE = re.compile(rf"{_FREE_BEFORE}(?P<code>\d{{4}})[ ](?P<place>[{_UP}][^\W\d_]+)(?![\w-])")
QUANTITY_BEFORE = re.compile(r"(?i)(?<!\w)(?:kr|nok|ca|cirka|omtrent|rundt|nesten|over|under|about|around|nearly"
                             r"|approximately|kl|klokka|klokken|rom|room|nr|no|side|page|s|p)\.?[ ]$")
COUNT_AFTER = re.compile(r"(?i)[ ]?(?:%|(?:år|års|prosent|percent|kr|kroner|ganger|gonger|minutt\w*|timer|dager"
                         r"|dagar|uker|veker|måneder|månader|personer|stk|av|of|years?|times|minutes|hours|days"
                         r"|weeks|months|people)(?!\w))")
# Words that end like a street but are names; words that follow a number but are no place.
NOT_STREETS = frozenset({"julia", "emilia", "amalia", "cecilia", "natalia", "cornelia", "ofelia", "ophelia",
                         "ottilia", "aurelia", "dahlia", "italia", "australia", "familia", "sicilia"})
LEAD_WORDS = frozenset({"I", "På", "Ved", "Fra", "Til", "Mot", "Nær", "Og", "Bor", "Hos", "Om", "In", "At", "On",
                        "Near", "From", "To", "The"})
NOT_PLACES = frozenset({"bc", "ad", "bce", "ce", "nok", "usd", "eur", "gbp", "sek", "dkk", "kr", "kroner", "euro",
                        "dollar", "dollars", "pund", "pounds", "prosent", "percent", "mb", "gb", "kb", "tb", "km",
                        "cm", "mm", "kg", "mw", "kw", "kwh", "tv", "pc", "rpm", "fps", "dpi", "iso", "pdf", "mhz",
                        "ghz", "år", *_MONTH[4:-1].split("|")})

_RANK = {"email": 0, "national_id": 1, "phone": 2, "birth_date": 3, "address": 4, "url": 5}


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def valid_national_id(number: str) -> bool:
    """True for an 11-digit fødselsnummer, D-, H- or synthetic number with valid control digits
    and a real date.  The century comes from the individual number where it is allocated."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    for weights, position in ((_W1, 9), (_W2, 10)):
        remainder = sum(int(d) * w for d, w in zip(number, weights)) % 11
        if remainder == 1 or (11 - remainder) % 11 != int(number[position]):
            return False
    day, month, yy, individual = int(number[:2]), int(number[2:4]), int(number[4:6]), int(number[6:9])
    day -= 40 if day > 40 else 0                                   # D-number
    month -= 80 if month > 80 else 40 if month > 40 else 0        # synthetic (Tenor) / H-number
    if individual >= 500 and yy < 40:
        year = 2000 + yy
    elif 500 <= individual < 750 and yy >= 54:
        year = 1800 + yy
    else:
        year = 1900 + yy  # also the unallocated combinations: judged by the date alone
    return _is_date(year, month, day)


def _emails(text: str) -> Iterator[Candidate]:
    for m in EMAIL.finditer(text):
        yield m.start(), m.end(), "email", 1.0


def _trim_url(url: str) -> str:
    while url and url[-1] in ".,;:!?'\"»”’)]}":
        closer = url[-1]
        opener = {")": "(", "]": "[", "}": "{"}.get(closer)
        if opener and url.count(opener) >= url.count(closer):
            break
        url = url[:-1]
    return url


def _urls(text: str) -> Iterator[Candidate]:
    for m in URL.finditer(text):
        url = _trim_url(m.group())
        if len(url.split("://", 1)[-1]) >= 4:  # something left after the scheme
            yield m.start(), m.start() + len(url), "url", 0.95


def _looks_like_date(digits: str) -> bool:
    """Eight digits that read as YYYYMMDD or DDMMYYYY with a 19xx/20xx year."""
    return (digits[:2] in ("19", "20") and _is_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))) or (
        digits[4:6] in ("19", "20") and _is_date(int(digits[4:]), int(digits[2:4]), int(digits[:2])))


def _phones(text: str) -> Iterator[Candidate]:
    for m in NO_PHONE.finditer(text):
        start, end = m.span()
        cued = PHONE_CUE.search(text, max(0, start - 40), start) is not None
        money = MONEY_BEFORE.search(text, max(0, start - 6), start) or MONEY_AFTER.match(text, end)
        if money and not m.group("prefix"):
            continue
        if m.group("cued"):
            halves = m.group("cued").split(" ")
            if not (cued or m.group("prefix")) or all(len(h) == 4 and 1800 <= int(h) < 2100 for h in halves):
                continue
        if m.group("prefix") or cued:
            yield start, end, "phone", 1.0
        elif m.group("grouped"):
            yield start, end, "phone", 0.9
        elif not _looks_like_date(m.group("bare")):
            yield start, end, "phone", 0.8
    for m in INTL_PHONE.finditer(text):
        start, end = m.span()
        groups = re.split(r"[ ()-]+", m.group()[len(m.group("prefix")):])
        digits = sum(len(g) for g in groups)
        if not 8 <= digits <= 15 or (len(groups) > 2 and all(len(g) == 3 for g in groups[1:])) or (
                m.group("prefix") == "00" and len(groups) == 1):
            continue  # too short/long, +10 000 000 (an amount), 00 and a long run of digits
        if not (MONEY_BEFORE.search(text, max(0, start - 6), start) or MONEY_AFTER.match(text, end)):
            yield start, end, "phone", 1.0
    for m in UK_PHONE.finditer(text):
        start, end = m.span()
        if not 10 <= sum(c.isdigit() for c in m.group()) <= 11:
            continue
        if MONEY_BEFORE.search(text, max(0, start - 6), start) or MONEY_AFTER.match(text, end):
            continue
        yield start, end, "phone", 1.0 if PHONE_CUE.search(text, max(0, start - 40), start) else 0.9


def _national_ids(text: str) -> Iterator[Candidate]:
    for m in NATIONAL_ID.finditer(text):
        if valid_national_id(m.group(1) + m.group(2)):
            yield m.start(), m.end(), "national_id", 1.0
        elif ID_CUE.search(text, max(0, m.start() - 40), m.start()):
            yield m.start(), m.end(), "national_id", 0.6


def _valid_date_match(m: re.Match[str]) -> bool:
    if m.group("iy"):
        return _is_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("nd"):
        year, a, b = int(m.group("ny")), int(m.group("nd")), int(m.group("nm"))
        year += 2000 if year < 100 else 0
        return _is_date(year, b, a) or _is_date(year, a, b)  # day first, or the US order
    if m.group("ym"):
        return True
    day, month, year = (m.group("td"), m.group("tm"), m.group("ty")) if m.group("td") else (
        m.group("md"), m.group("mm"), m.group("my"))
    return _is_date(int(year or 2000), _MONTH_NUMBERS[month[:3].lower()], int(day))


def _birth_dates(text: str) -> Iterator[Candidate]:
    """A date where one of the first five word positions after a birth cue starts one; else a
    year right after the cue."""
    for cue in BIRTH_CUE.finditer(text):
        gap = BIRTH_GAP.match(text, cue.end())
        starts = [i for i in range(cue.end(), gap.end() + 1) if i == gap.end() or (
            text[i] not in " :,–-" and (i == cue.end() or text[i - 1] in " :,–-"))] if gap else []
        for start in starts:
            m = DATE.match(text, start)
            if m and _valid_date_match(m):
                yield m.start(), m.end(), "birth_date", 0.8 if m.group("ym") else 0.9
                break
        else:
            year = YEAR_AFTER_CUE.match(text, cue.end()) if cue.group("born") else None
            if year:
                yield year.start("year"), year.end("year"), "birth_date", 0.7


def _line_alone(text: str, start: int, end: int) -> bool:
    before = text[text.rfind("\n", 0, start) + 1:start]
    after_end = text.find("\n", end)
    after = text[end:after_end if after_end >= 0 else len(text)]
    return not before.strip() and not after.strip(" .,;")


def _addresses(text: str) -> Iterator[Candidate]:
    for m in NO_STREET.finditer(text):
        start, street = m.start(), m.group("street")
        words = street.split(" ")
        while len(words) > 1 and words[0] in LEAD_WORDS:  # "Ved Kongens gate 5": not "Ved"
            start += len(words.pop(0)) + 1
        if len(words) == 1 and (" " in street or street.lower() in NOT_STREETS):
            continue  # only the generic word left, or a name such as Julia
        if not COUNT_AFTER.match(text, m.end("house")):  # "Solbakken 45 år" is an age
            yield start, m.end(), "address", 0.9
    for pattern in (EN_STREET, UK_POSTCODE, PO_BOX):
        for m in pattern.finditer(text):
            yield m.start(), m.end(), "address", 0.9
    for m in POSTCODE.finditer(text):
        place = m.group("place")
        if place.lower() in NOT_PLACES or QUANTITY_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue
        if 1800 <= int(m.group("code")) < 2100 and not (
                (len(place) > 1 and place.isupper()) or _line_alone(text, m.start(), m.end())):
            continue  # i 2019 Trondheim: a year, not a postcode
        yield m.start(), m.end(), "address", 0.9


class PatternDetector:
    """E-mail, URL, phone, national id, birth date and address by their shape (see the module
    docstring).  Hits never overlap: of overlapping candidates the longest wins, then the most
    specific type (email, national_id, phone, birth_date, address, url)."""

    name = "patterns"

    def detect(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        found: list[Candidate] = []
        for finder in (_emails, _urls, _phones, _national_ids, _birth_dates, _addresses):
            found.extend(finder(text))
        found.sort(key=lambda c: (c[0] - c[1], _RANK[c[2]], c[0]))
        taken = bytearray(len(text))
        chosen: list[Candidate] = []
        for start, end, kind, confidence in found:
            if 1 in taken[start:end]:
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, kind, confidence))
        for start, end, kind, confidence in sorted(chosen):
            yield Hit(start, end, kind, confidence, self.name, text=text[start:end])

