#!/usr/bin/env bash
# Installs kubectl [[ versions.tooling.kubectl ]].x (the newest patch release, matching the clusters' Kubernetes
# minor version) from the Kubernetes project's release site, checking its SHA-256.
#
#   scripts/install-kubectl.sh [directory]     (default: ~/.local/bin)
set -euo pipefail

minor="[[ versions.tooling.kubectl ]]"
dest="${1:-$HOME/.local/bin}"
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-kubectl: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"

version="$(curl -fsSL "https://dl.k8s.io/release/stable-$minor.txt")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsSLo "$work/kubectl" "https://dl.k8s.io/release/$version/bin/$os/$arch/kubectl"
expected="$(curl -fsSL "https://dl.k8s.io/release/$version/bin/$os/$arch/kubectl.sha256")"
echo "$expected  $work/kubectl" | sha256sum --check --status ||
  { echo "install-kubectl: checksum mismatch for kubectl $version" >&2; exit 1; }
mkdir -p "$dest"
install -m 0755 "$work/kubectl" "$dest/kubectl"
echo "install-kubectl: kubectl $version in $dest" >&2
