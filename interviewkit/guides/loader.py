"""Load and check interview guides written in YAML (the format: ``guides/README.md``).

    load_guide(path, placeholders=None) -> Guide          raises GuideError
    load_guide_text(text, name="<guide>", base_dir=None) -> Guide
    check_guide(path, placeholders=None) -> list[GuideProblem]   every problem, not just the first

Every problem names the file, line and column of the offending key or value.  A guide may
extend another (``base:``); the base's problems are reported with the base's file name.
``placeholders``, when given, are the values a project has for ``{name}`` placeholders:
each placeholder in a text read aloud must have one.  Texts are not filled in here (the
model stays neutral; ``model.fill`` does it at display time).

Every file is read and parsed within bounds (``bounds``: size, regular files only, nesting,
aliases, the length of a ``base:`` chain); a file beyond one, or a ``base:`` chain that goes
round in a circle, is a ``GuideRefused`` (one line; the CLI exits 2), not a list of problems.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode

from interviewkit.guides.bounds import MAX_BASE_DEPTH, read_guide_file
from interviewkit.guides.model import PLACEHOLDER, Guide, GuideInfo, Section, Wording
from interviewkit.guides.parse import FileParser
from interviewkit.guides.problems import GuideError, GuideProblem, GuideRefused, GuideUnreadable
from interviewkit.guides.raw import Located, RawGuide, RawSection, duplicate_id
from interviewkit.guides.source import compose, decode, no_gc

CLOSING_ID = "closing"
CLOSING_TITLES = {"nb": "Avslutning", "nn": "Avslutning", "en": "Closing"}


def load_guide(path: Path, placeholders: dict[str, str] | None = None) -> Guide:
    guide, problems = _load(Path(path), placeholders)
    if problems:
        raise GuideError(problems)
    assert guide is not None
    return guide


def load_guide_text(text: str, name: str = "<guide>", base_dir: Path | None = None,
                    placeholders: dict[str, str] | None = None) -> Guide:
    """Load a guide from text; a ``base:`` in it is found relative to ``base_dir`` (default: the current folder)."""
    raw = _parse_text(text, name)
    guide, problems = _finish(raw, base_dir or Path.cwd(), [], placeholders)
    if problems:
        raise GuideError(problems)
    assert guide is not None
    return guide


def check_guide(path: Path, placeholders: dict[str, str] | None = None) -> list[GuideProblem]:
    """Every problem in the guide (and its base); an empty list when it is clean.

    Raises ``GuideUnreadable`` when the file itself is missing or unreadable.
    """
    return _load(Path(path), placeholders)[1]


def check_and_load(path: Path, placeholders: dict[str, str] | None = None) -> tuple[Guide | None, list[GuideProblem]]:
    """``check_guide`` and ``load_guide`` in one pass: the guide (None when there are problems) and the problems."""
    return _load(Path(path), placeholders)


def base_chain(path: Path) -> list[Path]:
    """The guide file and the files it extends, nearest first (stops at a problem).

    Raises ``GuideRefused`` as loading does (a file beyond the bounds, a chain too long or in a circle).
    """
    chain = [Path(path)]
    data = _read(chain[0])
    while isinstance(data, bytes):
        raw = _parse_bytes(data, str(chain[-1]))
        if raw.base is None:
            break
        following = chain[-1].parent / raw.base[0]
        _check_chain(following, raw.base, [_key(p) for p in chain])
        data = _read_base(following, raw.base)
        if isinstance(data, bytes):
            chain.append(following)
    return chain


# -- the steps


def _load(path: Path, placeholders: dict[str, str] | None) -> tuple[Guide | None, list[GuideProblem]]:
    data = _read(path)
    if isinstance(data, GuideProblem):
        raise GuideUnreadable([data])
    raw = _parse_bytes(data, str(path))
    return _finish(raw, path.parent, [_key(path)], placeholders)


def _finish(raw: RawGuide, folder: Path, chain: list[Path],
            placeholders: dict[str, str] | None) -> tuple[Guide | None, list[GuideProblem]]:
    problems: list[GuideProblem] = []
    merged = _with_base(raw, folder, chain, problems)
    guide = _assemble(merged, raw, problems)
    if placeholders is not None:
        problems += _missing_placeholders(merged, placeholders)
    return (None if problems else guide), _ordered(problems, raw.file)


def _read(path: Path) -> bytes | GuideProblem:
    """The file's bytes, or the problem of a missing or unreadable file; ``GuideRefused`` beyond the bounds."""
    try:
        return read_guide_file(path)
    except FileNotFoundError:
        return GuideProblem(str(path), 0, 0, "no such file", "check the path (guide list shows the shipped guides)")
    except OSError as error:
        return GuideProblem(str(path), 0, 0, f"cannot read the file ({error.strerror or error})",
                            "check the file's permissions")


def _read_base(path: Path, base: tuple[str, Located]) -> bytes | GuideProblem:
    """A base file's bytes or problem, as ``_read``; refused at the ``base:`` key that names it."""
    name, at = base
    try:
        return _read(path)
    except GuideRefused as refused:
        problem = at.problem(f"base guide '{name}': {refused.problem}", refused.hint)
        code = "guide.base_too_large" if refused.code == "guide.too_large" else "guide.base_not_a_file"
        raise GuideRefused(problem, code=code, params={**refused.params, "base": name}) from None


def _parse_bytes(data: bytes, file: str) -> RawGuide:
    text, problem = decode(data, file)
    if problem:
        return _broken(file, problem)
    assert text is not None
    return _parse_text(text, file)


def _parse_text(text: str, file: str) -> RawGuide:
    with no_gc():
        root, problem = compose(text, file)
        if problem:
            return _broken(file, problem)
        return FileParser(file).guide(root)


def _broken(file: str, problem: GuideProblem) -> RawGuide:
    return RawGuide(file, None, problems=[problem])


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _with_base(raw: RawGuide, folder: Path, chain: list[Path], problems: list[GuideProblem]) -> RawGuide:
    """This file's parts laid over its base's (recursively); problems of all files are collected."""
    problems += raw.problems
    if raw.base is None:
        return raw
    name, at = raw.base
    path = folder / name
    _check_chain(path, raw.base, chain)
    data = _read_base(path, raw.base)
    if isinstance(data, GuideProblem):
        problems.append(at.problem(f"base guide '{name}': {data.message}",
                                   f"the path is relative to this guide's folder ({folder})"))
        return raw
    base = _with_base(_parse_bytes(data, str(path)), path.parent, [*chain, _key(path)], problems)
    return _merge(base, raw)


def _check_chain(path: Path, base: tuple[str, Located], chain: list[Path]) -> None:
    """Refuse a base that is already in the chain (a circle) or one guide too many."""
    name, at = base
    if _key(path) in chain:
        cycle = " → ".join(p.name for p in [*chain, _key(path)][chain.index(_key(path)):])
        problem = at.problem(f"base '{name}' leads back to itself ({cycle})",
                             "remove the base: key from one of these guides")
        raise GuideRefused(problem, code="guide.base_cycle", params={"base": name, "cycle": cycle})
    if len(chain) >= MAX_BASE_DEPTH:
        problem = at.problem(f"more than {MAX_BASE_DEPTH} guides extend one another here",
                             "let this guide extend a guide nearer the start of the chain, or copy what it needs")
        raise GuideRefused(problem, code="guide.base_too_deep", params={"limit": MAX_BASE_DEPTH})


def _merge(base: RawGuide, child: RawGuide) -> RawGuide:
    """The child's top-level keys replace the base's; its sections replace those with the same id."""
    merged = RawGuide(child.file, child.root, {**base.values, **child.values}, {**base.texts, **child.texts},
                      child.base, list(base.sections or []), child.closing or base.closing)
    positions = {s.id_at.node.value: i for i, s in enumerate(merged.sections) if s.id_at}  # type: ignore[arg-type]
    for section in child.sections or []:
        where = positions.get(section.id_at.node.value) if section.id_at else None
        if where is None:
            merged.sections.append(section)  # type: ignore[union-attr]
        else:
            merged.sections[where] = section  # type: ignore[index]
    return merged


def _assemble(merged: RawGuide, top: RawGuide, problems: list[GuideProblem]) -> Guide:
    values = merged.values
    is_mapping = top.root is not None and isinstance(top.root.node, MappingNode)
    if is_mapping and not values.get("title") and "title" not in top.values and "title" not in top.guessed:
        problems.append(top.root.problem("the guide has no title", "add a first line: title: …"))
    version = values.get("version")
    info = GuideInfo(title=values.get("title") or "", language=values.get("language") or "nb",
                     version="1" if version is None else version, audience=values.get("audience") or "individual",
                     author=values.get("author"), date=values.get("date"))
    raws = list(merged.sections or [])
    if merged.closing:
        if not merged.closing.section.title.default:
            merged.closing.section.title = Wording(CLOSING_TITLES.get(info.language, "Closing"))
        raws.append(merged.closing)
    if is_mapping and merged.sections is None and merged.closing is None and "sections" not in top.guessed:
        problems.append(top.root.problem("the guide has no sections", "add sections: with at least one theme"))
    sections = _with_ids(raws, problems)
    return Guide(info=info, sections=sections, introduction=values.get("introduction"),
                 consent_script=values.get("consent_script"), base=merged.base[0] if merged.base else None)


def _with_ids(raws: list[RawSection], problems: list[GuideProblem]) -> list[Section]:
    """Sections and questions with ids: as written, or generated from their position (s2, s2.q3)."""
    section_ids: dict[str, Located | None] = {}
    question_ids: dict[str, Located | None] = {}
    for raw in raws:
        if raw.id_at:
            _claim(section_ids, raw.id_at.node.value, raw.id_at, "section", problems)
        for question in raw.questions:
            if question.id_at:
                _claim(question_ids, question.id_at.node.value, question.id_at, "question", problems)
    sections = []
    themes = 0
    closing_generated = any(r.section.kind == "closing" and not r.id_at for r in raws)
    for raw in raws:
        section = Section(**{**raw.section.__dict__, "questions": []})
        if raw.section.kind == "theme":
            themes += 1
        if not raw.id_at:
            base = CLOSING_ID if section.kind == "closing" else f"s{themes}"
            section.id = _free(base, section_ids)
            section_ids[section.id] = None
        elif section.kind == "theme" and section.id == CLOSING_ID and closing_generated:
            problems.append(raw.id_at.problem("section id 'closing' is the closing round's id",
                                              "give this theme another id"))
        for number, raw_question in enumerate(raw.questions, 1):
            question = raw_question.question
            if not raw_question.id_at:
                question.id = _free(f"{section.id}.q{number}", question_ids)
                question_ids[question.id] = None
            section.questions.append(question)
        sections.append(section)
    return sections


def _claim(ids: dict[str, Located | None], value: str, at: Located, what: str,
           problems: list[GuideProblem]) -> None:
    first = ids.get(value)
    if first is not None:
        problems.append(duplicate_id(what, value, first, at))
    else:
        ids[value] = at


def _free(candidate: str, taken: dict[str, Located | None]) -> str:
    if candidate not in taken:
        return candidate
    number = 2
    while f"{candidate}-{number}" in taken:
        number += 1
    return f"{candidate}-{number}"


def _missing_placeholders(merged: RawGuide, values: dict[str, str]) -> list[GuideProblem]:
    texts = [t for key in ("introduction", "consent_script") for t in merged.texts.get(key, [])]
    for section in [*(merged.sections or []), *([merged.closing] if merged.closing else [])]:
        texts += section.texts
    problems = []
    for text, at in texts:
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in values:
                problems.append(_placeholder_problem(text, at, match.start(), name))
    return problems


def _placeholder_problem(text: str, at: Located, offset: int, name: str) -> GuideProblem:
    problem = at.problem(f"placeholder {{{name}}} has no value",
                         f"give it one: interviewkit guide values PROJECT {name}=…, or guide check --values {name}=…")
    start, end = at.node.start_mark, at.node.end_mark
    style = getattr(at.node, "style", None)
    if start.line == end.line and not style and "\n" not in text:  # plain one-line text: point at the brace
        return GuideProblem(problem.file, problem.line, problem.column + offset, problem.message, problem.hint)
    return problem


def _ordered(problems: list[GuideProblem], top_file: str) -> list[GuideProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file != top_file, p.file, p.line, p.column))
