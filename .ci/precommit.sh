#!/usr/bin/env bash
# pre-commit on a generated repository, offline: .ci/precommit.sh <generated repository>
#   1. `pre-commit validate-config` of its .pre-commit-config.yaml (pre-commit's own schema);
#   2. its `repo: local` hooks (`openedx-devops check`) through pre-commit itself, in a git copy
#      of the repository, with a config holding only those hooks: the other hooks' repositories
#      are cloned from GitHub, which CI cannot reach;
#   3. checkov with the exact arguments of the config's checkov hook, from the repository root
#      (the hook's entry is `checkov -d .`), when $CHECKOV names a checkov binary.
# terraform fmt, shellcheck and yamllint run on the same tree in .ci/terraform-fmt.sh and
# .ci/check-pipeline.sh. pre-commit (pinned) goes into the virtualenv ${VENV:-.ci/.venv-precommit};
# openedx-devops is ${BIN:-target/debug/openedx-devops}.
set -euo pipefail

PRE_COMMIT_VERSION="${PRE_COMMIT_VERSION:-4.7.0}"

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$ci_dir")"
VENV="${VENV:-$ci_dir/.venv-precommit}"
case "$VENV" in /*) ;; *) VENV="$root/$VENV" ;; esac
BIN="${BIN:-$root/target/debug/openedx-devops}"
case "$BIN" in /*) ;; *) BIN="$root/$BIN" ;; esac
case "${CHECKOV:-/}" in /*) ;; *) CHECKOV="$root/$CHECKOV" ;; esac

target="${1:?usage: .ci/precommit.sh <generated repository>}"
target="$(cd "$target" && pwd)"
config="$target/.pre-commit-config.yaml"
[ -f "$config" ] || { echo "precommit: no $config" >&2; exit 2; }
[ -x "$BIN" ] || { echo "precommit: $BIN is not built" >&2; exit 2; }

log() { printf '[precommit] %s\n' "$*" >&2; }

if ! [ -x "$VENV/bin/python" ]; then
  log "python3 -m venv $VENV"
  python3 -m venv "$VENV"
fi
if [ "$("$VENV/bin/pre-commit" --version 2>/dev/null || true)" != "pre-commit $PRE_COMMIT_VERSION" ]; then
  log "pip install pre-commit==$PRE_COMMIT_VERSION"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi

(cd "$target" && "$VENV/bin/pre-commit" validate-config .pre-commit-config.yaml)
log "validate-config: ok"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The local hooks only (pre-commit's own PyYAML reads and writes the config).
"$VENV/bin/python" - "$config" "$work/local.yaml" <<'PY'
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
local = [repo for repo in config["repos"] if repo["repo"] == "local"]
if not local:
    sys.exit(f"{sys.argv[1]}: no `repo: local` hooks")
yaml.safe_dump({"repos": local}, open(sys.argv[2], "w"))
PY
cp -a "$target" "$work/repo"
mkdir -p "$work/bin"
ln -s "$BIN" "$work/bin/openedx-devops"
(
  cd "$work/repo"
  git init -q . && git add -A
  PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/cache" \
    "$VENV/bin/pre-commit" run --config "$work/local.yaml" --all-files --show-diff-on-failure
)
log "local hooks: ok"

if [ -n "${CHECKOV:-}" ]; then
  mapfile -t args < <("$VENV/bin/python" - "$config" <<'PY'
import sys, yaml
for repo in yaml.safe_load(open(sys.argv[1]))["repos"]:
    for hook in repo["hooks"]:
        if hook["id"] == "checkov":
            print("\n".join(hook.get("args", [])))
            sys.exit(0)
sys.exit(f"{sys.argv[1]}: no checkov hook")
PY
  )
  log "checkov -d . ${args[*]}"
  (cd "$target" && LOG_LEVEL=ERROR "$CHECKOV" -d . "${args[@]}")
  log "checkov as the hook runs it: ok"
fi
