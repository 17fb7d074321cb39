"""Transcription engines behind one interface.

- ``faster-whisper`` (CTranslate2): the default; int8 on the CPU, float16 on CUDA when present.
- ``openai-whisper`` (PyTorch): the reference.  It loads an openai-whisper checkpoint, or a
  CTranslate2 model converted once into one (``convert.py``; float16 weights convert
  losslessly), so both engines can run the very same weights offline.

Both take 16 kHz mono float32 speech and return ``Segment``s with word timings, decoding each
30-second window on its own (no conditioning on earlier text: the main cause of Whisper's
repetition loops, and it must not carry across silences), with the project vocabulary as a
prompt on every window, beam search 5 and the usual temperature fallback with a fixed seed, so
a run is repeatable: a resumed job gives the same text as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from interviewkit.errors import InvalidInput
from interviewkit.transcribe.models import ModelError, ModelRef, cache_dir, resolve_model
from interviewkit.transcribe.result import Segment, Word
from interviewkit.vault.atomic import make_private_dir

ENGINES = ("faster-whisper", "openai-whisper")
DEFAULT_ENGINE = "faster-whisper"
ENGINE_ALIASES = {"faster": "faster-whisper", "openai": "openai-whisper", "reference": "openai-whisper"}
# What the user may write → Whisper's language code.  Whisper calls bokmål "no" and nynorsk "nn".
LANGUAGES = {"no": "no", "nb": "no", "nn": "nn", "en": "en", "auto": None}
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
SEED = 20261122


def whisper_language(value: str | None) -> str | None:
    """``no``/``nb``/``nn``/``en``/``auto`` (or any Whisper code) → Whisper's code, None = detect."""
    if value is None:
        return None
    value = value.strip().lower()
    if value in LANGUAGES:
        return LANGUAGES[value]
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    if value in _LANGUAGE_CODES:
        return value
    raise InvalidInput("--language", f"unknown language '{value}'", "use no (bokmål), nn (nynorsk), en or auto",
                       code="transcribe.unknown_language", params={"value": value})


def engine_name(value: str | None) -> str:
    value = (value or DEFAULT_ENGINE).strip().lower()
    value = ENGINE_ALIASES.get(value, value)
    if value not in ENGINES:
        raise InvalidInput("--engine", f"unknown engine '{value}'", f"use one of {', '.join(ENGINES)}",
                           code="transcribe.unknown_engine", params={"value": value, "choices": ", ".join(ENGINES)})
    return value


@dataclass(frozen=True)
class TranscribeOptions:
    language: str | None = None  # Whisper's code; None: detect once and keep it
    vocabulary: tuple[str, ...] = ()  # project words (places, programmes) to spell right
    beam_size: int = 5
    vad: bool = True

    @property
    def prompt(self) -> str | None:
        words = [w.strip() for w in self.vocabulary if w.strip()]
        return ", ".join(dict.fromkeys(words)) if words else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["vocabulary"] = list(self.vocabulary)
        return data


class Engine(Protocol):
    name: str
    model: ModelRef
    device: str

    def transcribe(self, speech: np.ndarray, options: TranscribeOptions) -> list[Segment]:
        """Segments of ``speech`` (times from its start), in the options' language."""

    def detect_language(self, speech: np.ndarray) -> tuple[str, float]:
        """The most likely language of the first 30 seconds, and its probability."""


def cuda_available() -> bool:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    except Exception:  # a broken CUDA install counts as none
        return False


def cpu_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# -- faster-whisper -------------------------------------------------------------------------

class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model: ModelRef, device: str = "auto", compute_type: str | None = None) -> None:
        if model.kind != "ctranslate2":
            raise ModelError(model.path, "faster-whisper needs a CTranslate2 model folder, not a .pt checkpoint",
                             "use --engine openai-whisper for this model, or convert it with ct2-transformers-converter",
                             code="model.needs_ctranslate2")
        from faster_whisper import WhisperModel

        self.model = model
        self.device = ("cuda" if cuda_available() else "cpu") if device == "auto" else device
        self.compute_type = compute_type or ("float16" if self.device == "cuda" else "int8")
        try:
            self._whisper = WhisperModel(str(model.path), device=self.device, compute_type=self.compute_type,
                                         cpu_threads=cpu_threads() if self.device == "cpu" else 0)
        except RuntimeError as exc:
            raise ModelError(model.path, f"the model cannot be loaded ({str(exc).splitlines()[0]})",
                             "check it with: interviewkit models check",
                             code="model.cannot_load", params={"detail": str(exc).splitlines()[0]}) from None

    def transcribe(self, speech: np.ndarray, options: TranscribeOptions) -> list[Segment]:
        import ctranslate2

        ctranslate2.set_random_seed(SEED)
        segments, info = self._whisper.transcribe(
            speech, language=options.language, task="transcribe", beam_size=options.beam_size,
            temperature=TEMPERATURES, condition_on_previous_text=False, word_timestamps=True, vad_filter=False,
            hotwords=options.prompt)
        return [Segment(round(s.start, 3), round(s.end, 3), s.text,
                        [Word(round(w.start, 3), round(w.end, 3), w.word, round(float(w.probability), 4))
                         for w in (s.words or [])],
                        round(float(s.avg_logprob), 4), round(float(s.no_speech_prob), 4), info.language)
                for s in segments]

    def detect_language(self, speech: np.ndarray) -> tuple[str, float]:
        language, probability, _ = self._whisper.detect_language(speech)
        return language, float(probability)


# -- openai-whisper (reference) ---------------------------------------------------------

def converted_checkpoint(model: ModelRef) -> Path:
    """An openai-whisper checkpoint for a CTranslate2 model, converted once into the cache."""
    from interviewkit.transcribe.convert import convert_ct2_to_openai

    stat = (model.path / "model.bin").stat()
    key = hashlib.sha256(f"{model.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = cache_dir() / "openai-whisper" / f"{model.name.replace('/', '_')}-{key}.pt"
    if not target.exists():
        make_private_dir(target.parent)
        convert_ct2_to_openai(model.path, target)
    return target


class OpenAIWhisperEngine:
    name = "openai-whisper"

    def __init__(self, model: ModelRef, device: str = "auto") -> None:
        import torch
        import whisper

        self.model = model
        self.device = ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
        checkpoint = model.path if model.kind == "openai" else converted_checkpoint(model)
        if self.device == "cpu":
            torch.set_num_threads(cpu_threads())
        try:
            self._whisper = whisper.load_model(str(checkpoint), device=self.device)
        except (RuntimeError, KeyError, OSError) as exc:
            raise ModelError(checkpoint, f"the checkpoint cannot be loaded ({str(exc).splitlines()[0]})",
                             "check it with: interviewkit models check",
                             code="model.cannot_load", params={"detail": str(exc).splitlines()[0]}) from None
        if model.kind == "ctranslate2":
            from interviewkit.transcribe.convert import alignment_heads_mask

            dims = self._whisper.dims
            mask = alignment_heads_mask(model.path, dims.n_text_layer, dims.n_text_head)
            self._whisper.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

    def transcribe(self, speech: np.ndarray, options: TranscribeOptions) -> list[Segment]:
        import torch
        import whisper

        torch.manual_seed(SEED)
        prompt = options.prompt
        result = whisper.transcribe(
            self._whisper, speech, language=options.language, task="transcribe", beam_size=options.beam_size,
            best_of=options.beam_size, temperature=TEMPERATURES, condition_on_previous_text=False,
            initial_prompt=prompt, carry_initial_prompt=prompt is not None, word_timestamps=True,
            fp16=self.device == "cuda", verbose=None)
        language = result.get("language")
        return [Segment(round(s["start"], 3), round(s["end"], 3), s["text"],
                        [Word(round(w["start"], 3), round(w["end"], 3), w["word"], round(float(w["probability"]), 4))
                         for w in s.get("words", [])],
                        round(float(s["avg_logprob"]), 4), round(float(s["no_speech_prob"]), 4), language)
                for s in result["segments"]]

    def detect_language(self, speech: np.ndarray) -> tuple[str, float]:
        import whisper

        audio = whisper.pad_or_trim(speech)
        mel = whisper.log_mel_spectrogram(audio, self._whisper.dims.n_mels).to(self._whisper.device)
        _, probabilities = self._whisper.detect_language(mel)
        language = max(probabilities, key=probabilities.get)
        return language, float(probabilities[language])


def load_engine(engine: str | None = None, model: str | ModelRef | None = None, device: str = "auto") -> Engine:
    """The engine named ``engine`` with the model ``model`` (a name, path or resolved ref)."""
    name = engine_name(engine)
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    if name == "faster-whisper":
        return FasterWhisperEngine(ref, device)
    return OpenAIWhisperEngine(ref, device)
