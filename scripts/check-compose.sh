#!/usr/bin/env bash
# Validates docker-compose.yml against the Compose schema (docker-compose
# `config` needs no Docker engine): with .env.example, for every profile,
# and without the required settings, which must be refused by name.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null; then
  echo "check-compose: docker-compose is not installed (apt-get install docker-compose)" >&2
  exit 1
fi

for profiles in "" "--profile sip" "--profile kurrentdb" "--profile sip --profile kurrentdb"; do
  # shellcheck disable=SC2086
  env -i PATH="$PATH" docker-compose --env-file .env.example $profiles -f docker-compose.yml config -q
done

empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
if out=$(env -i PATH="$PATH" docker-compose --env-file "$empty" -f docker-compose.yml config -q 2>&1); then
  echo "check-compose: docker-compose.yml was accepted without HOLDSLAYER_SECRET_KEY and API_KEYS" >&2
  exit 1
fi
grep -q 'HOLDSLAYER_SECRET_KEY' <<<"$out" || {
  echo "check-compose: a missing HOLDSLAYER_SECRET_KEY was not named: $out" >&2
  exit 1
}
echo "docker-compose.yml: valid for every profile with .env.example; refuses to start without its secrets"
