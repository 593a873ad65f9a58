#!/usr/bin/env bash
# Installs the pinned Terraform ([[ versions.tooling.terraform ]]) and Terragrunt ([[ versions.tooling.terragrunt ]]) from their publishers'
# release sites, checking their SHA-256 sums. The infrastructure workflow runs it; so can you.
#
#   scripts/install-iac-tools.sh [directory]     (default: ~/.local/bin)
set -euo pipefail

terraform_version="[[ versions.tooling.terraform ]]"
terragrunt_version="[[ versions.tooling.terragrunt ]]"
dest="${1:-$HOME/.local/bin}"
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-iac-tools: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

# check SUMS_FILE FILE: the line of SUMS_FILE that names FILE must match FILE's SHA-256
check() {
  local sums="$1" file="$2" expected
  expected="$(awk -v name="$(basename "$file")" '$2 == name || $2 == "*" name {print $1}' "$sums")"
  [ -n "$expected" ] || { echo "install-iac-tools: $(basename "$file") is not in $(basename "$sums")" >&2; exit 1; }
  echo "$expected  $file" | sha256sum --check --status ||
    { echo "install-iac-tools: checksum mismatch for $(basename "$file")" >&2; exit 1; }
}

if ! command -v terraform >/dev/null || [ "$(terraform version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')" != "$terraform_version" ]; then
  zip="terraform_${terraform_version}_${os}_${arch}.zip"
  base="https://releases.hashicorp.com/terraform/$terraform_version"
  curl -fsSLo "$work/$zip" "$base/$zip"
  curl -fsSLo "$work/SHA256SUMS" "$base/terraform_${terraform_version}_SHA256SUMS"
  check "$work/SHA256SUMS" "$work/$zip"
  unzip -q -o "$work/$zip" terraform -d "$work"
  install -m 0755 "$work/terraform" "$dest/terraform"
fi

if ! command -v terragrunt >/dev/null || ! terragrunt --version | grep -q "v$terragrunt_version\$"; then
  binary="terragrunt_${os}_${arch}"
  base="https://github.com/gruntwork-io/terragrunt/releases/download/v$terragrunt_version"
  curl -fsSLo "$work/$binary" "$base/$binary"
  curl -fsSLo "$work/SHA256SUMS.terragrunt" "$base/SHA256SUMS"
  check "$work/SHA256SUMS.terragrunt" "$work/$binary"
  install -m 0755 "$work/$binary" "$dest/terragrunt"
fi
echo "install-iac-tools: terraform $terraform_version and terragrunt $terragrunt_version in $dest" >&2
