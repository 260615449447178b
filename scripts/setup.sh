#!/usr/bin/env bash
# Install everything broadsheet needs on a Debian 12 machine, as root; quick when nothing changed.
#   - Debian packages: the CJK font families the font roles name (fonts/fonts.yaml), and the PDF
#     tools the tests use as independent readers (poppler, qpdf, Ghostscript) plus argyll and
#     icc-profiles-free (its TR002.ti3: CGATS/SNAP coldset newsprint data) for the output profile;
#     for `broadsheet print`: libcups2-dev (pycups is built against it), and CUPS with the
#     cups-pdf virtual printer, which the printing tests run privately (tests/cups_support.py;
#     the system's scheduler is neither started nor configured here); chromium, the browser the
#     tests of `broadsheet serve` and of the e-paper drive through Playwright (never Playwright's own downloads).
#   - a virtual environment in .venv with the project installed (editable) and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

# the font packages are the ones fonts/fonts.yaml lists under `packages:` (one list to keep)
mapfile -t FONT_PACKAGES < <(sed -n '/^packages:/,/^[a-z]/{s/^  - \([a-z0-9][a-z0-9.+-]*\).*/\1/p}' fonts/fonts.yaml)
if [ ${#FONT_PACKAGES[@]} -eq 0 ]; then echo "setup: no font packages found in fonts/fonts.yaml" >&2; exit 1; fi
DEB_PACKAGES=(
  "${FONT_PACKAGES[@]}"
  poppler-utils qpdf ghostscript argyll icc-profiles-free
  libcups2-dev cups printer-driver-cups-pdf
  chromium
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.broadsheet-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]' --config-settings editable_mode=compat  # a plain .pth path: no import hook at every start (~10 ms)
  touch "$stamp"
fi

# what the first build would otherwise do for the configured faces (layout/fonts/prepare.py): their
# metrics tables, embedding data and the outlines of a common repertoire (GB 2312, and Big5 for
# the body faces) ready to subset, into layout/fonts/data/ (~10 s, ~30 MB); done again when a
# font file changed
.venv/bin/python -m layout.fonts.prepare

# the newsprint output profile (argyll colprof from CGATS TR 002 coldset newsprint data, 220 % ink,
# maximum GCR), built once (~35 s) into layout/finish/data/ with its build record; rebuilt when
# the file no longer matches the record. Press builds fail without it (there is no fallback).
.venv/bin/python -m layout.finish.profile >/dev/null
