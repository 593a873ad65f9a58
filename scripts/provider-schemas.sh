#!/usr/bin/env bash
# Regenerates src/validate/provider_schemas/<provider>.txt, the provider schemas check 9 embeds,
# from the prebuilt CDK provider packages (the only step that uses the network; `cargo test` and
# the binary never do). Each package was generated from `terraform providers schema -json` of
# the provider version it names in package.json (`cdktf.provider.version`); the extraction is in
# scripts/provider-schemas.py. To move to a newer provider release, change a version below to a
# package release built from it (`npm view @cdktn/provider-aws@25 cdktf` shows which).
# Usage: scripts/provider-schemas.sh   (needs npm, pip and python3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$PWD/src/validate/provider_schemas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# provider, registry, package, version
packages=(
  "aws npm @cdktn/provider-aws 25.7.0"
  "kubernetes pypi cdktn-provider-kubernetes 17.1.0"
  "helm pypi cdktn-provider-helm 15.1.0"
  "random npm @cdktn/provider-random 15.0.1"
)
for entry in "${packages[@]}"; do
  read -r provider registry package version <<<"$entry"
  dir="$work/$provider"
  mkdir -p "$dir"
  case "$registry" in
    npm)
      (cd "$dir" && npm pack --silent "$package@$version" >/dev/null)
      tar xzf "$dir"/*.tgz -C "$dir"
      label="npm $package"
      ;;
    pypi)
      pip download --quiet --no-deps -d "$dir" "$package==$version"
      # The wheel carries the npm package's tarball (the jsii assembly and the JavaScript).
      python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$dir"/*.whl "$dir/wheel"
      tar xzf "$dir"/wheel/*/_jsii/*.jsii.tgz -C "$dir"
      label="PyPI $package"
      ;;
  esac
  python3 scripts/provider-schemas.py "$dir/package" "$provider" "$label" "$version" >"$out/$provider.txt"
  echo "$out/$provider.txt: $(head -1 "$out/$provider.txt")"
done
