"""Times as people read and type them: mm:ss under an hour, h:mm:ss above."""

from __future__ import annotations

from interviewkit.errors import InvalidInput


def clock(seconds: float) -> str:
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60:02d}:{whole % 60:02d}"


def parse_clock(text: str, where: str = "--at") -> float:
    """mm:ss, h:mm:ss or plain seconds (fractions allowed) as seconds."""
    parts = text.strip().split(":")
    try:
        if len(parts) > 3 or any(p.strip() == "" for p in parts):
            raise ValueError
        numbers = [float(p) for p in parts]
        if any(not n >= 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
            raise ValueError
    except ValueError:
        raise InvalidInput(where, f"'{text}' is not a time", "write mm:ss, h:mm:ss or seconds, e.g. 12:30",
                           code="input.bad_time", params={"value": text}) from None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds
