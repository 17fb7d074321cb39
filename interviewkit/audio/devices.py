"""The sound devices PortAudio sees (through sounddevice), with one-line errors when there are none,
and the devices chosen on this machine (kept in the settings file, by name: indexes change)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.audio.errors import AudioUnavailable
from interviewkit.settings import load_setting, save_setting

KINDS = ("input", "output")
DEVICE_ENV = "INTERVIEWKIT_AUDIO_DEVICE"  # the input device for this run (index or part of its name)
DEVICE_SETTINGS = {"input": "audio_input_device", "output": "audio_output_device"}

PORTAUDIO_HINT = ("install it: 'apt-get install libportaudio2' (Debian/Ubuntu), 'dnf install portaudio' (Fedora) "
                  "or 'brew install portaudio' (macOS)")


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    inputs: int  # input channels
    outputs: int  # output channels
    default_rate: float
    is_default_input: bool
    is_default_output: bool

    @property
    def is_default(self) -> bool:
        return self.is_default_input or self.is_default_output


def sounddevice() -> Any:
    """The sounddevice module, or a one-line error when the PortAudio library is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:  # sounddevice raises this when libportaudio cannot be loaded
        raise AudioUnavailable("PortAudio", f"the PortAudio library is not installed ({exc})", PORTAUDIO_HINT,
                               code="audio.no_portaudio") from None
    return sd


def list_devices() -> list[AudioDevice]:
    sd = sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise AudioUnavailable("PortAudio", f"cannot list the audio devices ({exc})",
                               "check that the sound system (PulseAudio/PipeWire) runs, then try again",
                               code="audio.cannot_list", params={"detail": exc}) from None
    if default_in is None or default_in < 0:
        default_in = _default_index(sd, "input")
    if default_out is None or default_out < 0:
        default_out = _default_index(sd, "output")
    return [AudioDevice(index=int(d["index"]), name=str(d["name"]), inputs=int(d["max_input_channels"]),
                        outputs=int(d["max_output_channels"]), default_rate=float(d["default_samplerate"]),
                        is_default_input=d["index"] == default_in and d["max_input_channels"] > 0,
                        is_default_output=d["index"] == default_out and d["max_output_channels"] > 0)
            for d in devices]


def _default_index(sd: Any, kind: str) -> int:
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except (sd.PortAudioError, ValueError, KeyError, TypeError):
        return -1


def _device_list(devices: list[AudioDevice], kind: str) -> str:
    chosen = [f"{d.index} {d.name}" for d in devices if (d.inputs if kind == "input" else d.outputs) > 0]
    return ", ".join(chosen)


def find_device(device: int | str | None, kind: str) -> AudioDevice:
    """An input or output device by index, by (part of its) name, or the default (None)."""
    devices = list_devices()
    usable = [d for d in devices if (d.inputs if kind == "input" else d.outputs) > 0]
    if not usable:
        what = "microphone" if kind == "input" else "loudspeaker or headphones"
        raise AudioUnavailable(kind, f"no {kind} device found",
                               f"connect a {what}, and check that the sound system (PulseAudio/PipeWire) runs",
                               code="audio.no_input_devices" if kind == "input" else "audio.no_output_devices")
    if device is None:
        flag = "is_default_input" if kind == "input" else "is_default_output"
        return next((d for d in usable if getattr(d, flag)), usable[0])
    if isinstance(device, str) and device.strip().isdigit():
        device = int(device)
    if isinstance(device, int):
        match = [d for d in usable if d.index == device]
    else:
        match = [d for d in usable if d.name == device] or [d for d in usable if device.lower() in d.name.lower()]
    if len(match) != 1:
        problem = f"no {kind} device '{device}'" if not match else f"'{device}' matches {len(match)} devices"
        raise AudioUnavailable("--device", problem, f"choose one: {_device_list(devices, kind)}",
                               code="audio.ambiguous_device" if match else
                               "audio.no_input_device" if kind == "input" else "audio.no_output_device",
                               params={"device": device, "count": len(match), "choices": _device_list(devices, kind)})
    return match[0]


def require_input() -> AudioDevice:
    """The default input device, or a clear error when there is none."""
    return find_device(None, "input")


def saved_device(kind: str) -> str | None:
    """The device chosen for ``kind`` on this machine (a name), or None: the system's default."""
    return load_setting(DEVICE_SETTINGS[kind]) or None


def chosen_device(kind: str) -> str | None:
    """The device to use: for input ``INTERVIEWKIT_AUDIO_DEVICE`` first, then the saved choice,
    then None (the system's default)."""
    if kind == "input":
        override = os.environ.get(DEVICE_ENV, "").strip()
        if override:
            return override
    return saved_device(kind)


def save_device(kind: str, name: str | None) -> Path:
    """Remember the device for ``kind`` (None: follow the system's default)."""
    return save_setting(DEVICE_SETTINGS[kind], name or None)
