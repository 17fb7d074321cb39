#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine:
#   bash scripts/setup.sh demo   install everything, then open the TUI on a demo project
#   bash scripts/setup.sh test   install everything, then run the whole test suite
#   bash scripts/setup.sh install   install only
# As root (or with password-less sudo) it installs the Debian packages too; otherwise
# it says which are missing and installs the Python side with pip all the same.
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:-demo}
shift || true

# Debian packages: what the product uses, and what the tests need on top.
# wnorwegian and wamerican: word lists the anonymiser reads to tell common words from names.
runtime_packages=(python3 python3-venv python3-pip age ffmpeg libportaudio2 wnorwegian wamerican)
# A virtual sound device (PulseAudio null sink, reached through ALSA's pulse plugin), synthetic speech,
# and LibreOffice to check that Word exports convert to PDF.
test_packages=(tmux pulseaudio pulseaudio-utils libasound2-plugins espeak-ng libreoffice-writer-nogui)

want=("${runtime_packages[@]}")
[ "$task" = test ] && want+=("${test_packages[@]}")

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
  if [ "${sudo[0]:-}" = none ]; then
    echo "setup: missing Debian packages: ${missing[*]} — ask an administrator to run: apt-get install ${missing[*]}" >&2
  else
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
[ "$task" = test ] && extras="[test]"
# The CPU build of torch first (openai-whisper needs torch; unpinned, pip would take a CUDA build of several GB).
.venv/bin/python -m pip install -q --disable-pip-version-check "torch==${TORCH_VERSION:-2.13.0}"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"

case "$task" in
  demo) exec .venv/bin/interviewkit demo "$@" ;;
  test) exec .venv/bin/python -m pytest "$@" ;;
  install) echo "setup: installed; run .venv/bin/interviewkit --help" ;;
  *) echo "setup: unknown task '$task' — use demo, test or install" >&2; exit 2 ;;
esac
