#!/usr/bin/env bash
# What the tests need from the system, installed from Debian's packages when
# missing: a PostgreSQL server (tests start their own cluster on a free port)
# the Asterisk recordings (prompts, captions, music on hold) and SIPp. As a
# non-root user it only says what is missing: the tests that need it skip,
# and say why.
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
[ -f /usr/share/asterisk/sounds/en/hello.wav ] || need+=(asterisk-core-sounds-en-wav)
[ -f /usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz ] || need+=(asterisk-core-sounds-en)
[ -f /usr/share/asterisk/moh/macroform-cold_day.wav ] || need+=(asterisk-moh-opsound-wav)
# SIPp, the SIP peer the carrier's SIP face is tested against (with its RFC 4733 key recordings).
[ -f /usr/share/sip-tester/dtmf_2833_1.pcap ] || need+=(sip-tester)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing for some tests: ${need[*]} (as root: apt-get install ${need[*]}). Those tests will be skipped." >&2
  exit 0
fi
echo "Installing ${need[*]} for the tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
  { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
