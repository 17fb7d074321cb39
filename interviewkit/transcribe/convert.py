"""Convert a CTranslate2 Whisper model directory into an openai-whisper checkpoint.

faster-whisper runs CTranslate2 models (``model.bin`` + ``config.json`` + ``tokenizer.json`` +
``vocabulary.txt``); openai-whisper loads a ``torch.save`` checkpoint
``{"dims": ModelDimensions as dict, "model_state_dict": state_dict}``.  Both hold the same
weights under other names, so the conversion is lossless: every tensor is copied bit for bit
in the dtype it is stored in (float16 stays float16, float32 stays float32; openai-whisper casts
to its own dtype when it loads).  Quantized models (int8, int16) lost precision when they were
made and are refused, as is bfloat16 (openai checkpoints never hold it).

The ``model.bin`` layout (binary version 6, written by ``ModelSpec._serialize`` in
``ctranslate2/specs/model_spec.py``), all integers little-endian::

    u32 binary_version            (6)
    str spec_name                 ("WhisperSpec")
    u32 spec_revision             (3)
    u32 num_variables
    num_variables × { str name, u8 rank, rank × u32 dim, u8 dtype_id, u32 num_bytes, bytes }
    u32 num_aliases
    num_aliases × { str alias, str variable_name }

    str   = u16 length (including the NUL) + UTF-8 bytes + NUL
    dtype = float32, int8, int16, int32, float16, bfloat16 (ids 0 … 5)

A variable equal to an earlier one (in name order) is stored once and the others become
aliases; the decoder's output projection, for one, is an alias of the token embedding.

Mapping (CT2 name → openai-whisper name), N = layer index.  The CTranslate2 converter fuses
the attention projections (``ctranslate2/converters/utils.py: fuse_linear``): self-attention
``linear_0`` is ``[query; key; value]`` stacked on axis 0, cross-attention ``linear_1`` is
``[key; value]``.  Whisper's key projection has no bias, so its slice of a fused bias is all
zeros (checked, then dropped)::

    encoder/conv1/{weight,bias}                        encoder.conv1.{weight,bias}
    encoder/conv2/{weight,bias}                        encoder.conv2.{weight,bias}
    encoder/position_encodings/encodings               encoder.positional_embedding
    encoder/layer_N/self_attention/layer_norm/gamma    encoder.blocks.N.attn_ln.weight
    encoder/layer_N/self_attention/layer_norm/beta     encoder.blocks.N.attn_ln.bias
    encoder/layer_N/self_attention/linear_0/weight     encoder.blocks.N.attn.{query,key,value}.weight
    encoder/layer_N/self_attention/linear_0/bias       encoder.blocks.N.attn.{query,-,value}.bias
    encoder/layer_N/self_attention/linear_1/*          encoder.blocks.N.attn.out.*
    encoder/layer_N/ffn/layer_norm/{gamma,beta}        encoder.blocks.N.mlp_ln.{weight,bias}
    encoder/layer_N/ffn/linear_0/*                     encoder.blocks.N.mlp.0.*
    encoder/layer_N/ffn/linear_1/*                     encoder.blocks.N.mlp.2.*
    encoder/layer_norm/{gamma,beta}                    encoder.ln_post.{weight,bias}
    decoder/embeddings/weight                          decoder.token_embedding.weight
    decoder/position_encodings/encodings               decoder.positional_embedding
    decoder/layer_N/self_attention/...                 decoder.blocks.N.{attn,attn_ln}... (as above)
    decoder/layer_N/attention/layer_norm/*             decoder.blocks.N.cross_attn_ln.*
    decoder/layer_N/attention/linear_0/*               decoder.blocks.N.cross_attn.query.*
    decoder/layer_N/attention/linear_1/weight          decoder.blocks.N.cross_attn.{key,value}.weight
    decoder/layer_N/attention/linear_1/bias            decoder.blocks.N.cross_attn.{-,value}.bias
    decoder/layer_N/attention/linear_2/*               decoder.blocks.N.cross_attn.out.*
    decoder/layer_N/ffn/...                            decoder.blocks.N.{mlp_ln,mlp.0,mlp.2}...
    decoder/layer_norm/{gamma,beta}                    decoder.ln.{weight,bias}
    decoder/projection/weight                          (none: tied to the token embedding, checked)
    encoder/num_heads, decoder/num_heads               dims n_audio_head, n_text_head

The dimensions come from the weights: ``n_mels`` and ``n_audio_state`` from conv1,
``n_vocab`` and ``n_text_state`` from the token embedding, the contexts from the position
encodings, the layer counts from the blocks, the head counts from the ``num_heads`` scalars.
The alignment heads for word timestamps are in ``config.json`` (``alignment_heads``), not in
the checkpoint; ``alignment_heads_mask`` turns them into the mask openai-whisper wants.

Memory: the converter first indexes ``model.bin`` (names, shapes, offsets; no data), then reads
one variable at a time into the state dict, so it holds about one copy of the model plus the
largest fused tensor.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from interviewkit.errors import InterviewkitError
from interviewkit.vault.atomic import atomic_writer

if TYPE_CHECKING:
    import torch

MODEL_FILE = "model.bin"
CONFIG_FILE = "config.json"
BINARY_VERSION = 6  # CURRENT_BINARY_VERSION in ctranslate2/specs/model_spec.py
WHISPER_SPEC = "WhisperSpec"
# Type ids in the order of ctranslate2's DataType enum (model_spec._dtype_to_type_id).
DTYPE_NAMES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
CONVERTIBLE_DTYPES = ("float16", "float32")
MAX_RANK = 8
# Decoder settings stored as scalars, and the values openai-whisper's architecture implies.
EXPECTED_FLAGS = {
    "decoder/activation": 3,  # common_spec.Activation.GELU
    "decoder/pre_norm": 1,
    "decoder/scale_embeddings": 0,
    "decoder/alibi": 0,
    "decoder/start_from_zero_embedding": 0,
}
# Other variables a Whisper model.bin holds that the state dict does not need.
OTHER_KNOWN = (
    "encoder/num_heads",
    "decoder/num_heads",
    "decoder/alignment_heads",  # CT2's own alignment settings; config.json has the real list
    "decoder/alignment_layer",
    "decoder/projection/weight",  # checked to be tied to the token embedding
    "decoder/projection/bias",  # checked to be absent or zero
)

HINT_RECONVERT = "convert the model again with ctranslate2 (ct2-transformers-converter)"
HINT_FLOAT = "convert it again with --quantization float16 (or float32)"


class ConversionError(InterviewkitError):
    """A CTranslate2 model cannot be read or turned into an openai-whisper checkpoint."""


# --- reading model.bin ------------------------------------------------------------------


@dataclass(frozen=True)
class Ct2Variable:
    """Where one variable lies in ``model.bin`` (its data is read on demand)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    offset: int  # of the data, from the start of the file
    num_bytes: int


@dataclass(frozen=True)
class Ct2Index:
    """The table of contents of a ``model.bin``: every variable and alias, no data."""

    path: Path
    spec: str
    revision: int
    variables: dict[str, Ct2Variable]
    aliases: dict[str, str]  # alias → the name it stands for

    def names(self) -> list[str]:
        return sorted([*self.variables, *self.aliases])

    def __contains__(self, name: object) -> bool:
        return name in self.variables or name in self.aliases

    def lookup(self, name: str) -> Ct2Variable:
        """The stored variable behind ``name``, following aliases."""
        seen: set[str] = set()
        while name in self.aliases:
            if name in seen:
                raise ConversionError(self.path, f"alias loop at {name!r}", HINT_RECONVERT, code="convert.damaged")
            seen.add(name)
            name = self.aliases[name]
        if name not in self.variables:
            raise ConversionError(self.path, f"variable {name!r} is missing", HINT_RECONVERT, code="convert.damaged")
        return self.variables[name]


class _Reader:
    """Reads the header fields of ``model.bin``; a short read means a truncated file."""

    def __init__(self, handle: BinaryIO, path: Path, size: int) -> None:
        self.handle = handle
        self.path = path
        self.size = size

    def truncated(self) -> ConversionError:
        return ConversionError(self.path, f"truncated CTranslate2 model ({self.size} bytes)",
                               "the file is incomplete; copy or download it again", code="convert.truncated")

    def bytes(self, count: int) -> bytes:
        data = self.handle.read(count)
        if len(data) != count:
            raise self.truncated()
        return data

    def u8(self) -> int:
        return int(self.bytes(1)[0])

    def u32(self) -> int:
        return int(struct.unpack("<I", self.bytes(4))[0])

    def string(self) -> str:
        (length,) = struct.unpack("<H", self.bytes(2))
        raw = self.bytes(length)
        if length == 0 or raw[-1] != 0:
            raise self.corrupt("a name is not NUL-terminated")
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise self.corrupt("a name is not UTF-8") from None

    def skip(self, count: int) -> int:
        """Skip ``count`` data bytes; returns where they start."""
        start = self.handle.tell()
        if start + count > self.size:
            raise self.truncated()
        self.handle.seek(start + count)
        return start

    def corrupt(self, why: str) -> ConversionError:
        return ConversionError(self.path, f"corrupt CTranslate2 model: {why}", HINT_RECONVERT, code="convert.damaged")


def model_file(model_dir: Path) -> Path:
    """``model_dir/model.bin``, or a ConversionError that says what is missing."""
    model_dir = Path(model_dir)
    path = model_dir / MODEL_FILE
    if not model_dir.is_dir():
        raise ConversionError(model_dir, "not a directory", "give the CTranslate2 model directory",
                              code="convert.not_a_folder")
    if not path.is_file():
        raise ConversionError(path, "missing: not a CTranslate2 model directory",
                              "the directory needs model.bin, config.json and tokenizer.json",
                              code="convert.not_ct2_folder")
    return path


def index_ct2_model(model_dir: Path) -> Ct2Index:
    """Read the table of contents of ``model_dir/model.bin`` (names, shapes, dtypes, offsets)."""
    path = model_file(model_dir)
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(0)
            return _read_index(_Reader(handle, path, size))
    except OSError as exc:
        raise ConversionError(path, f"cannot read ({exc.strerror})", "check the file's permissions",
                              code="storage.cannot_read", params={"detail": exc.strerror}) from None


def _read_index(reader: _Reader) -> Ct2Index:
    path = reader.path
    if reader.size < 4:
        raise ConversionError(path, f"not a CTranslate2 model ({reader.size} bytes)", HINT_RECONVERT,
                              code="convert.damaged")
    version = reader.u32()
    if version != BINARY_VERSION:
        if 0 < version < 100:
            raise ConversionError(path, f"unsupported CTranslate2 binary version {version} "
                                  f"(this converter reads version {BINARY_VERSION})", HINT_RECONVERT,
                                  code="convert.damaged")
        raise ConversionError(path, "not a CTranslate2 model (unknown header)", HINT_RECONVERT, code="convert.damaged")
    spec = reader.string()
    revision = reader.u32()
    variables: dict[str, Ct2Variable] = {}
    for _ in range(_count(reader, "variables")):
        variable = _read_variable(reader)
        variables[variable.name] = variable
    aliases: dict[str, str] = {}
    for _ in range(_count(reader, "aliases")):
        alias = reader.string()
        aliases[alias] = reader.string()
    trailing = reader.size - reader.handle.tell()
    if trailing:
        raise reader.corrupt(f"{trailing} unexpected bytes after the last entry")
    index = Ct2Index(path, spec, revision, variables, aliases)
    for alias in aliases:
        index.lookup(alias)  # every alias must lead to a stored variable
    return index


def _count(reader: _Reader, what: str) -> int:
    count = reader.u32()
    remaining = reader.size - reader.handle.tell()
    if count > remaining:  # every entry takes at least a few bytes
        raise reader.corrupt(f"it claims {count} {what} in {remaining} bytes")
    return count


def _read_variable(reader: _Reader) -> Ct2Variable:
    name = reader.string()
    rank = reader.u8()
    if rank > MAX_RANK:
        raise reader.corrupt(f"variable {name!r} has rank {rank}")
    shape = tuple(reader.u32() for _ in range(rank))
    type_id = reader.u8()
    if type_id >= len(DTYPE_NAMES):
        raise reader.corrupt(f"variable {name!r} has unknown type id {type_id}")
    dtype = DTYPE_NAMES[type_id]
    num_bytes = reader.u32()
    expected = int(np.prod(shape, dtype=np.int64)) * _itemsize(dtype)
    if num_bytes != expected:
        raise reader.corrupt(f"variable {name!r} has {num_bytes} bytes for shape {shape} {dtype}")
    offset = reader.skip(num_bytes)
    return Ct2Variable(name, shape, dtype, offset, num_bytes)


def _itemsize(dtype: str) -> int:
    return 2 if dtype == "bfloat16" else np.dtype(dtype).itemsize


def _load(handle: BinaryIO, index: Ct2Index, variable: Ct2Variable) -> np.ndarray:
    """The data of one variable as a numpy array (bfloat16 is widened to float32, exactly)."""
    storage = np.uint16 if variable.dtype == "bfloat16" else np.dtype(variable.dtype)
    array = np.empty(variable.shape, dtype=storage)
    handle.seek(variable.offset)
    if handle.readinto(memoryview(array.reshape(-1)).cast("B")) != variable.num_bytes:
        raise ConversionError(index.path, "truncated CTranslate2 model (it changed while being read)",
                              "copy or download it again", code="convert.truncated")
    if variable.dtype == "bfloat16":
        return (array.astype(np.uint32) << 16).view(np.float32)
    return array


def _iter_arrays(index: Ct2Index, names: list[str]) -> Iterator[tuple[str, np.ndarray]]:
    """Read the named variables one at a time (aliases resolved), in the order given."""
    try:
        with index.path.open("rb") as handle:
            for name in names:
                yield name, _load(handle, index, index.lookup(name))
    except OSError as exc:
        raise ConversionError(index.path, f"cannot read ({exc.strerror})", "check the file's permissions",
                              code="storage.cannot_read", params={"detail": exc.strerror}) from None


def read_ct2_model(model_dir: Path) -> dict[str, np.ndarray]:
    """Every variable of ``model_dir/model.bin`` by name, aliases included, as numpy arrays.

    Arrays keep their stored dtype (float16 stays float16); an alias is the same array object
    as the variable it stands for.  bfloat16, which numpy lacks, is widened to float32 exactly.
    """
    index = index_ct2_model(model_dir)
    arrays = dict(_iter_arrays(index, sorted(index.variables)))
    for alias in index.aliases:
        arrays[alias] = arrays[index.lookup(alias).name]
    return dict(sorted(arrays.items()))


# --- the mapping --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One CT2 variable → one or more openai-whisper tensors.

    With several targets the variable is split into equal parts along axis 0 (a fused
    projection); a target of ``None`` is a part that must be all zeros and is dropped.
    """

    source: str
    targets: tuple[str | None, ...]


def _linear(source: str, target: str) -> list[Rule]:
    return [Rule(f"{source}/weight", (f"{target}.weight",)), Rule(f"{source}/bias", (f"{target}.bias",))]


def _layer_norm(source: str, target: str) -> list[Rule]:
    return [Rule(f"{source}/gamma", (f"{target}.weight",)), Rule(f"{source}/beta", (f"{target}.bias",))]


def _self_attention(source: str, target: str) -> list[Rule]:
    q, k, v = (f"{target}.attn.{part}" for part in ("query", "key", "value"))
    return [
        *_layer_norm(f"{source}/self_attention/layer_norm", f"{target}.attn_ln"),
        Rule(f"{source}/self_attention/linear_0/weight", (f"{q}.weight", f"{k}.weight", f"{v}.weight")),
        Rule(f"{source}/self_attention/linear_0/bias", (f"{q}.bias", None, f"{v}.bias")),
        *_linear(f"{source}/self_attention/linear_1", f"{target}.attn.out"),
    ]


def _cross_attention(source: str, target: str) -> list[Rule]:
    k, v = (f"{target}.cross_attn.{part}" for part in ("key", "value"))
    return [
        *_layer_norm(f"{source}/attention/layer_norm", f"{target}.cross_attn_ln"),
        *_linear(f"{source}/attention/linear_0", f"{target}.cross_attn.query"),
        Rule(f"{source}/attention/linear_1/weight", (f"{k}.weight", f"{v}.weight")),
        Rule(f"{source}/attention/linear_1/bias", (None, f"{v}.bias")),
        *_linear(f"{source}/attention/linear_2", f"{target}.cross_attn.out"),
    ]


def _feed_forward(source: str, target: str) -> list[Rule]:
    return [
        *_layer_norm(f"{source}/ffn/layer_norm", f"{target}.mlp_ln"),
        *_linear(f"{source}/ffn/linear_0", f"{target}.mlp.0"),
        *_linear(f"{source}/ffn/linear_1", f"{target}.mlp.2"),
    ]


def mapping_rules(n_audio_layer: int, n_text_layer: int) -> list[Rule]:
    """The whole CT2 → openai-whisper table for a model with these layer counts."""
    rules = [
        *_linear("encoder/conv1", "encoder.conv1"),
        *_linear("encoder/conv2", "encoder.conv2"),
        Rule("encoder/position_encodings/encodings", ("encoder.positional_embedding",)),
    ]
    for n in range(n_audio_layer):
        rules += _self_attention(f"encoder/layer_{n}", f"encoder.blocks.{n}")
        rules += _feed_forward(f"encoder/layer_{n}", f"encoder.blocks.{n}")
    rules += _layer_norm("encoder/layer_norm", "encoder.ln_post")
    rules += [
        Rule("decoder/embeddings/weight", ("decoder.token_embedding.weight",)),
        Rule("decoder/position_encodings/encodings", ("decoder.positional_embedding",)),
    ]
    for n in range(n_text_layer):
        rules += _self_attention(f"decoder/layer_{n}", f"decoder.blocks.{n}")
        rules += _cross_attention(f"decoder/layer_{n}", f"decoder.blocks.{n}")
        rules += _feed_forward(f"decoder/layer_{n}", f"decoder.blocks.{n}")
    rules += _layer_norm("decoder/layer_norm", "decoder.ln")
    return rules


# --- checks and dimensions ----------------------------------------------------------------


def _layer_count(index: Ct2Index, stack: str) -> int:
    pattern = re.compile(rf"^{stack}/layer_(\d+)/")
    found = {int(match.group(1)) for name in index.names() if (match := pattern.match(name))}
    if found != set(range(len(found))):
        raise ConversionError(index.path, f"{stack} layers are not numbered 0…n-1: {sorted(found)}",
                              HINT_RECONVERT, code="convert.damaged")
    return len(found)


def _check_whisper(index: Ct2Index) -> None:
    if index.spec != WHISPER_SPEC:
        raise ConversionError(index.path, f"not a Whisper model (CTranslate2 spec {index.spec!r})",
                              "only Whisper models can be converted", code="convert.not_whisper")


def _check_convertible(index: Ct2Index, rules: list[Rule]) -> None:
    """Refuse quantized weights, missing or unknown variables, and non-Whisper settings."""
    sources = [rule.source for rule in rules]
    missing = [name for name in sources if name not in index]
    if missing:
        raise ConversionError(index.path, f"{len(missing)} Whisper variables are missing, e.g. {missing[0]!r}",
                              HINT_RECONVERT, code="convert.damaged")
    stored = {index.lookup(name).dtype for name in sources}
    scales = [name for name in index.names() if name.endswith("_scale")]
    if scales or not stored <= set(CONVERTIBLE_DTYPES):
        kinds = ", ".join(sorted(stored))
        raise ConversionError(index.path, f"weights stored as {kinds}: only float16/float32 models "
                              "can be converted", HINT_FLOAT, code="convert.not_float")
    # Scalars are settings (newer ctranslate2 versions add some); a tensor is a weight.
    known = set(sources) | set(EXPECTED_FLAGS) | set(OTHER_KNOWN)
    unknown = [name for name in index.names() if name not in known and index.lookup(name).shape]
    if unknown:
        raise ConversionError(index.path, f"unexpected weight {unknown[0]!r} for a Whisper model",
                              "this converter knows the standard Whisper layout only", code="convert.unknown_layout")
    for name, expected in EXPECTED_FLAGS.items():
        if name in index and (value := int(_scalar(index, name))) != expected:
            raise ConversionError(index.path, f"{name} is {value}, openai-whisper needs {expected}",
                                  "this converter knows the standard Whisper layout only",
                                  code="convert.unknown_layout")


def _scalar(index: Ct2Index, name: str) -> float:
    ((_, array),) = _iter_arrays(index, [name])
    if array.size != 1:
        raise ConversionError(index.path, f"{name!r} should be a single number, has shape {array.shape}",
                              HINT_RECONVERT, code="convert.damaged")
    return array.reshape(-1)[0].item()


def _shape(index: Ct2Index, name: str, rank: int) -> tuple[int, ...]:
    shape = index.lookup(name).shape
    if len(shape) != rank:
        raise ConversionError(index.path, f"{name!r} has shape {shape}, expected rank {rank}", HINT_RECONVERT,
                              code="convert.damaged")
    return shape


def model_dims(index: Ct2Index) -> dict[str, int]:
    """openai-whisper's ModelDimensions, derived from the stored weights."""
    n_audio_state, n_mels, _ = _shape(index, "encoder/conv1/weight", 3)
    n_audio_ctx, _ = _shape(index, "encoder/position_encodings/encodings", 2)
    n_vocab, n_text_state = _shape(index, "decoder/embeddings/weight", 2)
    n_text_ctx, _ = _shape(index, "decoder/position_encodings/encodings", 2)
    return {
        "n_mels": n_mels,
        "n_audio_ctx": n_audio_ctx,
        "n_audio_state": n_audio_state,
        "n_audio_head": int(_scalar(index, "encoder/num_heads")),
        "n_audio_layer": _layer_count(index, "encoder"),
        "n_vocab": n_vocab,
        "n_text_ctx": n_text_ctx,
        "n_text_state": n_text_state,
        "n_text_head": int(_scalar(index, "decoder/num_heads")),
        "n_text_layer": _layer_count(index, "decoder"),
    }


def _check_tied_projection(index: Ct2Index) -> None:
    """openai-whisper computes logits with the token embedding: the projection must equal it."""
    projection, embedding = "decoder/projection/weight", "decoder/embeddings/weight"
    if projection in index and index.lookup(projection) != index.lookup(embedding):
        arrays = dict(_iter_arrays(index, [projection, embedding]))
        if not np.array_equal(arrays[projection], arrays[embedding]):
            raise ConversionError(index.path, "the output projection differs from the token embedding",
                                  "openai-whisper needs tied output weights", code="convert.unknown_layout")
    bias = "decoder/projection/bias"
    if bias in index:
        ((_, values),) = _iter_arrays(index, [bias])
        if np.any(values):
            raise ConversionError(index.path, "the output projection has a bias",
                                  "openai-whisper's Whisper has none", code="convert.unknown_layout")


# --- conversion ---------------------------------------------------------------------------


def _split(index: Ct2Index, rule: Rule, array: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    parts = len(rule.targets)
    if parts == 1:
        yield rule.targets[0], array  # type: ignore[misc]  # a single target is never None
        return
    if array.ndim == 0 or array.shape[0] % parts:
        raise ConversionError(index.path, f"{rule.source!r} with shape {array.shape} cannot be split "
                              f"into {parts} projections", HINT_RECONVERT, code="convert.damaged")
    for target, part in zip(rule.targets, np.split(array, parts, axis=0), strict=True):
        if target is None:
            if np.any(part):
                raise ConversionError(index.path, f"{rule.source!r} has a non-zero key bias",
                                      "openai-whisper's key projection has no bias", code="convert.unknown_layout")
            continue
        yield target, part.copy()  # its own buffer, so the fused array can be freed


def _state_dict(index: Ct2Index, rules: list[Rule]) -> dict[str, torch.Tensor]:
    import torch

    by_source = {rule.source: rule for rule in rules}
    state: dict[str, torch.Tensor] = {}
    for name, array in _iter_arrays(index, [rule.source for rule in rules]):
        for target, part in _split(index, by_source[name], array):
            state[target] = torch.from_numpy(part)
        del array
    return state


def convert_ct2_to_openai(model_dir: Path, out_file: Path) -> Path:
    """Write an openai-whisper checkpoint for the CTranslate2 Whisper model in ``model_dir``.

    The file is replaced atomically (temp file in the same directory, fsync, rename), so a
    crash leaves the old checkpoint or the new one.  Returns ``out_file``.
    """
    import torch

    out_file = Path(out_file)
    index = index_ct2_model(model_dir)
    _check_whisper(index)
    dims = model_dims(index)
    rules = mapping_rules(dims["n_audio_layer"], dims["n_text_layer"])
    _check_convertible(index, rules)
    _check_tied_projection(index)
    checkpoint = {"dims": dims, "model_state_dict": _state_dict(index, rules)}
    with atomic_writer(out_file) as handle:
        torch.save(checkpoint, handle)
    return out_file


def alignment_heads_mask(model_dir: Path, n_text_layer: int, n_text_head: int) -> torch.Tensor:
    """The decoder's alignment heads from ``config.json`` as a bool mask [n_text_layer, n_text_head].

    Without a list in the config, the last half of the layers is used (as openai-whisper and
    the CTranslate2 converter do).  openai-whisper wants it as a sparse, non-persistent buffer:
    ``model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)``.
    """
    import torch

    heads = _config(Path(model_dir)).get("alignment_heads")
    mask = torch.zeros(n_text_layer, n_text_head, dtype=torch.bool)
    if heads is None:
        mask[n_text_layer // 2 :] = True
        return mask
    config = Path(model_dir) / CONFIG_FILE
    try:
        pairs = [(int(layer), int(head)) for layer, head in heads]
    except (TypeError, ValueError):
        raise ConversionError(config, "alignment_heads is not a list of [layer, head] pairs",
                              HINT_RECONVERT, code="convert.damaged") from None
    for layer, head in pairs:
        if not (0 <= layer < n_text_layer and 0 <= head < n_text_head):
            raise ConversionError(config, f"alignment head [{layer}, {head}] is outside the model's "
                                  f"{n_text_layer} layers × {n_text_head} heads", HINT_RECONVERT,
                                  code="convert.damaged")
        mask[layer, head] = True
    return mask


def _config(model_dir: Path) -> dict[str, object]:
    path = model_dir / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(path, f"unreadable model config ({exc})", HINT_RECONVERT,
                              code="convert.damaged") from None
    if not isinstance(config, dict):
        raise ConversionError(path, "the model config is not a JSON object", HINT_RECONVERT, code="convert.damaged")
    return config
