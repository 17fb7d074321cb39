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
# A virtual sound device (PulseAudio null sink, reached through ALSA's pulse plugin), synthetic speech
# (espeak-ng, resampled with sox), and LibreOffice to check that Word exports convert to PDF.
# tests/test_setup.py checks that every program the tests run comes from a package listed here.
test_packages=(tmux procps pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox libreoffice-writer-nogui)

want=("${runtime_packages[@]}")
[ "$task" = test ] && want+=("${test_packages[@]}")

# Under CI (CI=true) a package that cannot be installed is an error, not a warning: the tests
# that need it would fail anyway (with CI=true a skipped test counts as failed).
strict=false
case "${CI:-}" in true|TRUE|True|1|yes) strict=true ;; esac
cannot_install() {
  if [ "$strict" = true ]; then
    echo "setup: cannot install the Debian packages ${missing[*]}: $1 — CI=true needs every one of them" >&2
    exit 1
  fi
  echo "setup: missing Debian packages: ${missing[*]} — $1" >&2
}

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    cannot_install "this is not a Debian/Ubuntu machine (no apt-get); install them with your system's package manager"
  else
    if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
    if [ "${sudo[0]:-}" = none ]; then
      cannot_install "ask an administrator to run: apt-get install ${missing[*]}"
    else
      echo "setup: installing Debian packages: ${missing[*]}" >&2
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
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
