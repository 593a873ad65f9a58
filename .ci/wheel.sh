#!/usr/bin/env bash
# Builds the PyPI wheel from this checkout (pyproject.toml: maturin, bindings = "bin") in a fresh
# virtualenv, installs it into a second fresh virtualenv (and with pipx, as the README says) and runs
# it: `--version` must print Cargo.toml's version and `new --defaults` must generate and pass `check`;
# pre-commit validates .pre-commit-hooks.yaml.
# Needs python3 (with venv), cargo and PyPI; nothing else. Usage: .ci/wheel.sh [--keep DIR]
#   WHEEL_PROFILE  cargo profile of the build (default: release, the profile the published wheels
#                  use; `dev` builds in a fraction of the time when only the packaging is in question)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MATURIN_VERSION="1.16.0"   # newest maturin on PyPI today; pyproject.toml requires >=1.16,<2.0
PIPX_VERSION="1.18.4"      # newest pipx on PyPI today
PRE_COMMIT_VERSION="4.7.0" # newest pre-commit on PyPI today: validates .pre-commit-hooks.yaml
PROFILE="${WHEEL_PROFILE:-release}"
keep=""
if [ "${1:-}" = "--keep" ]; then keep="${2:?--keep needs a directory}"; fi

log() { printf '[wheel] %s\n' "$*" >&2; }
die() { printf '[wheel] error: %s\n' "$*" >&2; exit 1; }

python3 -c 'import venv, ensurepip' 2>/dev/null \
  || die "python3 cannot create virtualenvs (Debian: apt-get install python3-venv)"
command -v cargo >/dev/null || die "cargo is not on PATH (maturin compiles the binary with it)"

# The version of [package] in Cargo.toml, which maturin gives the wheel (pyproject: dynamic).
version="$(awk '/^\[/ { in_pkg = ($0 == "[package]") } in_pkg && $1 == "version" { gsub(/"/, "", $3); print $3; exit }' "$repo_dir/Cargo.toml")"
[ -n "$version" ] || die "cannot read [package].version from $repo_dir/Cargo.toml"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "build virtualenv: maturin==$MATURIN_VERSION"
python3 -m venv "$work/build"
"$work/build/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
# The pin here must satisfy pyproject.toml's build requirement, or pip users would build with another.
"$work/build/bin/python" - "$repo_dir/pyproject.toml" "$MATURIN_VERSION" <<'EOF'
import sys, tomllib
from pip._vendor.packaging.requirements import Requirement
with open(sys.argv[1], "rb") as f:
    requires = [Requirement(r) for r in tomllib.load(f)["build-system"]["requires"]]
maturin = [r for r in requires if r.name == "maturin"]
if not maturin or sys.argv[2] not in maturin[0].specifier:
    sys.exit(f"[wheel] error: maturin=={sys.argv[2]} does not satisfy {sys.argv[1]}'s build-system.requires {[str(r) for r in requires]}")
EOF

log "maturin build --profile $PROFILE (Cargo.lock as committed)"
start=$SECONDS
(cd "$repo_dir" && "$work/build/bin/maturin" build --locked --profile "$PROFILE" --out "$work/dist" >&2)
log "built in $((SECONDS - start)) s"
shopt -s nullglob
wheels=("$work/dist/openedx_devops-$version"-py3-none-*.whl)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] || die "expected one openedx_devops-$version-py3-none-*.whl in $work/dist, found: $(ls "$work/dist")"
wheel="${wheels[0]}"
log "$(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"

log "sdist: carries what the build needs"
(cd "$repo_dir" && "$work/build/bin/maturin" sdist --out "$work/sdist" >&2)
sdist="$(find "$work/sdist" -name "openedx_devops-$version.tar.gz")"
[ -n "$sdist" ] || die "maturin sdist wrote no openedx_devops-$version.tar.gz"
listing="$(tar -tzf "$sdist")"
for member in pyproject.toml Cargo.toml Cargo.lock build.rs src/main.rs blueprints/_versions.yml README.md; do
  grep -qx "openedx_devops-$version/$member" <<<"$listing" || die "$(basename "$sdist") lacks $member"
done

check_install() { # check_install BIN_DIR HOW: the installed command runs as the README promises
  local bin="$1/openedx-devops" how="$2" out
  [ -x "$bin" ] || die "$how: no executable $bin"
  out="$("$bin" --version)"
  [ "$out" = "openedx-devops $version" ] || die "$how: --version printed '$out', Cargo.toml says $version"
  "$bin" new "$work/x-$how" --defaults >"$work/$how.log" 2>&1 \
    || { cat "$work/$how.log" >&2; die "$how: new --defaults failed"; }
  "$bin" check "$work/x-$how" >"$work/$how.log" 2>&1 \
    || { cat "$work/$how.log" >&2; die "$how: check of the generated repository failed"; }
  log "$how: $out; new --defaults and check pass"
}

log "install into a fresh virtualenv (no index: the wheel needs nothing else)"
python3 -m venv "$work/install"
"$work/install/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
check_install "$work/install/bin" pip

log "pipx install (the README's command), pipx==$PIPX_VERSION"
"$work/build/bin/pip" install --quiet --disable-pip-version-check "pipx==$PIPX_VERSION"
PIPX_HOME="$work/pipx" PIPX_BIN_DIR="$work/pipx-bin" PIPX_MAN_DIR="$work/pipx-man" \
  "$work/build/bin/pipx" install --quiet "$wheel" >&2
check_install "$work/pipx-bin" pipx

# The generated repository's scripts/install-openedx-devops.sh, as its pull-request workflow runs
# it: the manifest's version, from a folder of wheels and from the generator's git repository (what
# OPENEDX_DEVOPS_SOURCE may name while the version is not on PyPI), and refusals.
generated="$work/x-pip"
installer() { # installer VENV [VAR=VALUE...]: run the script in a fresh virtualenv VENV
  local venv="$1"; shift
  python3 -m venv "$venv"
  (cd "$generated" && env PATH="$venv/bin:$PATH" PYTHON="$venv/bin/python" "$@" bash scripts/install-openedx-devops.sh)
}
log "install-openedx-devops.sh: OPENEDX_DEVOPS_SOURCE=<folder of wheels>"
installer "$work/script-wheels" PIP_NO_INDEX=1 OPENEDX_DEVOPS_SOURCE="$work/dist" 2>"$work/script.log" \
  || { cat "$work/script.log" >&2; die "install-openedx-devops.sh did not install the wheel"; }
check_install "$work/script-wheels/bin" script-wheels
log "install-openedx-devops.sh: refuses what it cannot install"
if installer "$work/script-none" PIP_NO_INDEX=1 2>"$work/script.log"; then
  die "install-openedx-devops.sh succeeded with no index and no source"
fi
grep -q "is not installable from PyPI" "$work/script.log" || { cat "$work/script.log" >&2; die "no actionable error without a source"; }
cp "$generated/.openedx-devops/manifest.json" "$work/manifest.json"
"$work/build/bin/python" - "$generated/.openedx-devops/manifest.json" <<'EOF_PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest["version"] = manifest["version"] + "\n--index-url=https://example.invalid/"
json.dump(manifest, open(sys.argv[1], "w"))
EOF_PY
if installer "$work/script-bad" OPENEDX_DEVOPS_SOURCE="$work/dist" 2>"$work/script.log"; then
  die "install-openedx-devops.sh accepted a manifest version of two lines"
fi
grep -q 'is not a version' "$work/script.log" || { cat "$work/script.log" >&2; die "no actionable error for a bad manifest version"; }
cp "$work/manifest.json" "$generated/.openedx-devops/manifest.json"
if git -C "$repo_dir" rev-parse --git-dir >/dev/null 2>&1; then
  log "install-openedx-devops.sh: OPENEDX_DEVOPS_SOURCE=git+file://localhost<a clone tagged v$version> (pip builds it from source)"
  git clone --quiet "$repo_dir" "$work/source"
  git -C "$work/source" tag -f "v$version" >/dev/null
  # The dev profile and this checkout's target folder keep the from-source build short.
  installer "$work/script-git" OPENEDX_DEVOPS_SOURCE="git+file://localhost$work/source" \
    MATURIN_PEP517_ARGS="--profile dev" CARGO_TARGET_DIR="$repo_dir/target" 2>"$work/script.log" \
    || { cat "$work/script.log" >&2; die "install-openedx-devops.sh did not build and install from git"; }
  check_install "$work/script-git/bin" script-git
fi

log "pre-commit==$PRE_COMMIT_VERSION validate-manifest .pre-commit-hooks.yaml"
"$work/build/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
"$work/build/bin/pre-commit" validate-manifest "$repo_dir/.pre-commit-hooks.yaml"

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  cp "$wheel" "$sdist" "$keep/"
  log "kept $(basename "$wheel") and $(basename "$sdist") in $keep"
fi
log "wheel OK"
