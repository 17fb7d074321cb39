"""Problems found in a guide file, each pointing at a line and column, and the error that
carries them."""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.errors import InterviewkitError


@dataclass(frozen=True)
class GuideProblem:
    """One problem in a guide file.

    ``line`` and ``column`` are 1-based; 0 means the file as a whole (it is missing,
    unreadable or empty), and then ``str()`` leaves them out.
    """

    file: str
    line: int
    column: int
    message: str
    hint: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class GuideError(InterviewkitError):
    """A guide cannot be used as it is; ``problems`` lists every problem found.

    ``str()`` is the first problem's line, plus "(and N more)" when there are more.
    """

    def __init__(self, problems: list[GuideProblem], *, code: str = "",
                 params: dict[str, object] | None = None) -> None:
        if not problems:
            raise ValueError("GuideError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.where, first.message, first.hint, code=code, params=params)

    def line(self) -> str:
        text = str(self.problems[0])
        more = len(self.problems) - 1
        return f"{text} (and {more} more)" if more else text

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class GuideUnreadable(GuideError):
    """The guide file itself is missing or cannot be read (the CLI exits 2, not 1)."""


class GuideRefused(GuideUnreadable):
    """A guide, or a guide in its ``base:`` chain, is refused before it is read or parsed in
    full (``interviewkit.guides.bounds``): not a regular file, too large, nested too deep,
    aliases that would repeat too much, a ``base:`` chain too long or going round in a circle.

    One problem, and a ``code`` (``guide.too_large``…) for the TUI's text; the CLI exits 2.
    """

    def __init__(self, problem: GuideProblem, *, code: str, params: dict[str, object] | None = None) -> None:
        super().__init__([problem], code=code, params=params)
