"""Render the demo interviews in samples/ with espeak-ng (synthetic voices, no real person), and
transcribe them once with the embedded model so the demo has a real draft to show.

    .venv/bin/python samples/make_samples.py            # audio + reference text + transcriptions
    .venv/bin/python samples/make_samples.py --audio    # audio and reference text only

Writes, for each interview NAME: NAME.ogg (Opus, 16 kHz mono), NAME.txt (the script: one turn a
line, "I:" interviewer, "P:" participant) and NAME.transcription.json (faster-whisper, base).
The audio is committed, so tests and benchmarks use the same bytes on every machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RATE = 16000
PAUSE_SECONDS = 0.8

INTERVIEWS = {
    "interview-en": {
        "language": "en",
        "voices": {"I": ("en-us", 155), "P": ("en-gb+f3", 150)},
        "turns": [
            ("I", "Thank you for taking part in this interview. Could you start by telling me about your work?"),
            ("P", "Of course. I have worked as a youth worker in the municipality for about six years. Most of "
                  "my time is spent at the youth club, and I also meet young people at the school."),
            ("I", "What do the young people come to you with?"),
            ("P", "Many of them just want a place to be after school. Some of them talk about problems at home, "
                  "or about friends, and a few of them need help from the health services."),
            ("I", "How easy is it for them to get that help?"),
            ("P", "It depends. The school nurse is very good, but the waiting time can be long. When a young "
                  "person has finally decided to ask for help, three weeks is a very long time."),
            ("I", "Can you tell me about a time when the services worked well together?"),
            ("P", "Last winter we had a boy who stopped coming to school. The teacher, the nurse and I met with "
                  "him and his mother, and we made a plan together. After a month he was back in class."),
            ("I", "What would you change if you could decide?"),
            ("P", "I would keep the youth club open in the summer, and I would give the young people a real "
                  "voice when the municipality plans new services for them."),
            ("I", "Thank you. Is there anything you would like to add before we finish?"),
            ("P", "No, I think we covered the most important things. Thank you for asking."),
        ],
    },
    "intervju-nb": {
        "language": "no",
        "voices": {"I": ("nb", 150), "P": ("nb+f3", 145)},
        "turns": [
            ("I", "Takk for at du vil være med på dette intervjuet. Kan du fortelle litt om jobben din?"),
            ("P", "Jeg jobber som miljøarbeider i kommunen, og de fleste dagene er jeg på fritidsklubben."),
            ("I", "Hva kommer ungdommene til deg med?"),
            ("P", "Mange vil bare ha et sted å være etter skolen. Noen forteller om problemer hjemme, "
                  "og noen trenger hjelp fra helsesykepleier."),
            ("I", "Hva ville du endret hvis du kunne bestemme?"),
            ("P", "Jeg ville holdt klubben åpen om sommeren, og latt ungdommene være med når kommunen "
                  "planlegger nye tilbud."),
        ],
    },
}


def speak(text: str, voice: str, speed: int) -> np.ndarray:
    """espeak-ng speech as 16 kHz mono float32 (through ffmpeg pipes)."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], check=True,
                         capture_output=True).stdout
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", "pipe:0", "-ac", "1", "-ar", str(RATE), "-f", "s16le",
                          "pipe:1"], input=wav, check=True, capture_output=True).stdout
    return np.frombuffer(pcm, "<i2").astype(np.float32) / 32768


def render(name: str, spec: dict) -> None:
    pause = np.zeros(int(PAUSE_SECONDS * RATE), dtype=np.float32)
    parts = [pause]
    for speaker, text in spec["turns"]:
        voice, speed = spec["voices"][speaker]
        parts += [speak(text, voice, speed), pause]
    audio = np.concatenate(parts)
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "pipe:0",
                    "-c:a", "libopus", "-b:a", "32k", "-map_metadata", "-1", "-fflags", "+bitexact",
                    str(HERE / f"{name}.ogg")], input=pcm, check=True)
    (HERE / f"{name}.txt").write_text("".join(f"{s}: {t}\n" for s, t in spec["turns"]), encoding="utf-8")
    print(f"{name}.ogg: {len(audio) / RATE:.1f} s")


def transcribe(name: str, spec: dict) -> None:
    from interviewkit.audio.reader import iter_file_audio
    from interviewkit.transcribe.engines import TranscribeOptions, load_engine
    from interviewkit.transcribe.job import transcribe_blocks

    engine = load_engine("faster-whisper", "base", "cpu")
    path = HERE / f"{name}.ogg"
    result = transcribe_blocks(iter_file_audio(path), engine, TranscribeOptions(language=spec["language"]), 0.0)
    (HERE / f"{name}.transcription.json").write_bytes(result.to_bytes())
    print(f"{name}.transcription.json: {len(result.segments)} segments")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audio", action="store_true", help="only the audio and the reference text")
    args = parser.parse_args()
    for name, spec in INTERVIEWS.items():
        render(name, spec)
        if not args.audio:
            transcribe(name, spec)
    return 0


if __name__ == "__main__":
    sys.exit(main())
