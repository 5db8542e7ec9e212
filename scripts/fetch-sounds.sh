#!/usr/bin/env bash
# Makes the real recordings the simulated carrier plays available, without a
# system install: Debian's Asterisk prompts (a real voice), their captions,
# and music on hold. Uses the system's copies when installed; otherwise
# downloads the .deb files and unpacks them under ~/.cache/holdslayer/debian.
set -euo pipefail

packages=(asterisk-core-sounds-en-wav asterisk-core-sounds-en asterisk-moh-opsound-wav)
dest="${XDG_CACHE_HOME:-$HOME/.cache}/holdslayer/debian"

have() {
  local root=$1
  [ -f "$root/usr/share/asterisk/moh/macroform-cold_day.wav" ] &&
    [ -f "$root/usr/share/asterisk/sounds/en/hello.wav" ] &&
    [ -f "$root/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz" ]
}

if have / || have "$dest"; then
  exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "The Asterisk sounds are missing and this is not a Debian-like system: install ${packages[*]}," >&2
  echo "or point ASTERISK_SOUNDS_DIR, ASTERISK_MOH_DIR and ASTERISK_SOUNDS_CAPTIONS at copies." >&2
  exit 1
fi

echo "Fetching the Asterisk prompts and hold music (Debian packages ${packages[*]}) into $dest" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    (cd "$work" && apt-get download "${packages[@]}" >/dev/null)
  else
    echo "apt-get download failed; run 'sudo apt-get update' and try again" >&2
    exit 1
  fi
fi
mkdir -p "$dest"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$dest"
done
# The sounds/en folder is a Debian alternatives link; point it at the unpacked voice.
if [ ! -e "$dest/usr/share/asterisk/sounds/en/hello.wav" ]; then
  voice=$(find "$dest/usr/share/asterisk/sounds" -maxdepth 1 -type d -name 'en_US_f_*' | head -n 1)
  rm -rf "$dest/usr/share/asterisk/sounds/en"
  ln -s "$voice" "$dest/usr/share/asterisk/sounds/en"
fi
have "$dest" || { echo "unpacked the packages but the sounds are still missing under $dest" >&2; exit 1; }
