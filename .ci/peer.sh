#!/usr/bin/env bash
# `openedx-devops import` on repositories rendered by the real cookiecutter: our stand-in of
# cookiecutter-openedx-devops (tests/peer-template) for every option set of
# tests/peer-template/option-sets, whose renders must equal the fixtures the Rust tests read
# (tests/fixtures/peer); then import -> new -> check on each render.
#   PEER_TEMPLATE=<checkout of cookiecutter-openedx-devops>  also run on the real template
#   UPDATE=1                                                 rewrite tests/fixtures/peer
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv="${VENV:-.ci/.venv-cookiecutter}"
bin="${BIN:-target/debug/openedx-devops}"
if [ ! -x "$venv/bin/cookiecutter" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cookiecutter==2.7.1"
fi
[ -x "$bin" ] || cargo build --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

render() { # template option-set-file output-folder
  local args=()
  while IFS= read -r line; do [ -n "$line" ] && args+=("$line"); done < "$2"
  mkdir -p "$3.tmp"
  "$venv/bin/cookiecutter" --no-input "$1" -o "$3.tmp" "${args[@]}" >/dev/null
  mv "$3.tmp"/* "$3"
  rmdir "$3.tmp"
}

roundtrip() { # rendered-repository name
  "$bin" import "$1" -o "$work/$2.yml" 2>"$work/$2.report"
  "$bin" new "$work/new-$2" --answers "$work/$2.yml" >/dev/null 2>&1
  "$bin" check "$work/new-$2" >/dev/null || { "$bin" check "$work/new-$2"; exit 1; }
  echo "$2: import, new, check passed ($(grep -c '^[a-z_]*:\|^  - \|^    [a-z_]*:' "$work/$2.yml") answers)"
}

for set in tests/peer-template/option-sets/*; do
  name="$(basename "$set")"
  render tests/peer-template "$set" "$work/$name"
  if [ -n "${UPDATE:-}" ]; then
    rm -rf "tests/fixtures/peer/$name"
    mkdir -p tests/fixtures/peer
    cp -r "$work/$name" "tests/fixtures/peer/$name"
  elif ! diff -r "$work/$name" "tests/fixtures/peer/$name"; then
    echo "tests/fixtures/peer/$name differs from the cookiecutter render of tests/peer-template: UPDATE=1 $0" >&2
    exit 1
  fi
  roundtrip "$work/$name" "$name"
done

if [ -n "${PEER_TEMPLATE:-}" ]; then
  for set in tests/peer-template/option-sets/*; do
    name="real-$(basename "$set")"
    render "$PEER_TEMPLATE" "$set" "$work/$name"
    roundtrip "$work/$name" "$name"
  done
fi
echo "peer import: all passed"
