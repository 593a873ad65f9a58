#!/usr/bin/env bash
# terraform fmt -check over a generated repository: .tf files in place, and every .hcl file
# (Terragrunt) through a copy named .tf, since terraform fmt only reads Terraform file names.
# Usage: .ci/terraform-fmt.sh <generated-repo>
set -euo pipefail
repo="${1:?usage: terraform-fmt.sh <generated-repo>}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
status=0
# Some machines point TF_CLI_CONFIG_FILE at a file that does not exist; fmt needs no config.
[ -f "${TF_CLI_CONFIG_FILE:-}" ] || unset TF_CLI_CONFIG_FILE
terraform fmt -check -recursive -diff "$repo" || status=1
while IFS= read -r -d '' file; do
  relative="${file#"$repo"/}"
  copy="$scratch/${relative%.hcl}.tf"
  mkdir -p "$(dirname "$copy")"
  cp "$file" "$copy"
done < <(find "$repo" -name '*.hcl' -print0)
if ! (cd "$scratch" && terraform fmt -check -recursive -diff .); then
  echo "these .hcl files are not in terraform fmt's canonical form (shown as .tf above)" >&2
  status=1
fi
exit "$status"
