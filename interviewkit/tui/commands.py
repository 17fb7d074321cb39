"""The command palette (ctrl+p): every action of the current screen and of the app, translated.

A screen offers commands by defining ``palette_commands()``, returning
``PaletteCommand`` items; the app adds its own (switch language, quit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    callback: Callable[[], object]


def commands_for(provider: Provider) -> list[PaletteCommand]:
    found: list[PaletteCommand] = []
    for source in (provider.screen, provider.app):
        offer: Callable[[], Iterable[PaletteCommand]] | None = getattr(source, "palette_commands", None)
        if offer is not None:
            found.extend(offer())
    return found


class InterviewkitCommands(Provider):
    """Offers the commands of the screen the palette was opened on, then the app's."""

    async def discover(self) -> Hits:
        for command in commands_for(self):
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in commands_for(self):
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback,
                          text=command.title, help=command.help)
