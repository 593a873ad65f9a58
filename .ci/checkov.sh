#!/usr/bin/env bash
# checkov over the Terraform of a generated repository: .ci/checkov.sh <generated repository>
# Installs checkov (pinned) into the virtualenv ${VENV:-.ci/.venv} when it is missing, then runs
# it the way a user of the generated repository does, its pre-commit hook's command from the
# repository root: `checkov -d . --config-file .checkov.yaml --framework terraform`, so that checkov
# reads the repository's own `.checkov.yaml` (its one account-wide exception, CKV_TF_1) and nothing
# else is skipped here. Fails on any failed check. Deliberate exceptions of
# one resource are suppressed inline in the blueprints (#checkov:skip=CKV_...:reason).
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$ci_dir")"
VENV="${VENV:-$ci_dir/.venv}"
case "$VENV" in /*) ;; *) VENV="$repo_dir/$VENV" ;; esac

target="${1:?usage: .ci/checkov.sh <generated repository>}"
if ! [ -d "$target/terraform" ]; then
  echo "checkov: $target/terraform is not a folder" >&2
  exit 2
fi

log() { printf '[checkov] %s\n' "$*" >&2; }

if ! [ -x "$VENV/bin/python" ]; then
  log "python3 -m venv $VENV"
  python3 -m venv "$VENV"
fi
if [ "$("$VENV/bin/checkov" --version 2>/dev/null || true)" != "$CHECKOV_VERSION" ]; then
  log "pip install checkov==$CHECKOV_VERSION"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT

# The flags are about output and being offline only: registry modules are not downloaded (no
# network in CI, and they are upstream's code), so checkov checks the resources and module calls
# this repository writes. What is checked and skipped is the repository's `.checkov.yaml`.
set +e
(
  cd "$target" &&
    LOG_LEVEL=ERROR "$VENV/bin/checkov" -d . --config-file .checkov.yaml --framework terraform --quiet --compact \
      --skip-download --output cli --output json --output-file-path "console,$report"
) > "$report.console" 2>&1
status=$?
set -e
cat "$report.console"
rm -f "$report.console"

# One line a person (and a log reader) can act on: passed, failed, skipped.
"$VENV/bin/python" - "$report" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
reports = data if isinstance(data, list) else [data]
passed = sum(r.get("summary", {}).get("passed", 0) for r in reports)
failed = sum(r.get("summary", {}).get("failed", 0) for r in reports)
skipped = sum(r.get("summary", {}).get("skipped", 0) for r in reports)
print(f"checkov: {passed} passed, {failed} failed, {skipped} skipped")
PY

if [ "$status" -ne 0 ]; then
  echo "checkov found failed checks in $target/terraform" >&2
  exit 1
fi
