#!/usr/bin/env bash
# Refreshes this folder from the module interface catalog: copies, unchanged, the file of every
# terraform-aws-modules module that a blueprint calls, and nothing else.
#   tests/data/module-interfaces/update.sh CATALOG_DIR
# CATALOG_DIR is the catalog's `module-interfaces` folder (one JSON file per registry module).
set -euo pipefail
catalog="${1:?usage: update.sh CATALOG_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
names="$(grep -rhoE 'source *= *"terraform-aws-modules/[a-z0-9-]+/aws' "$repo/blueprints" |
  sed -E 's|.*terraform-aws-modules/([a-z0-9-]+)/aws|\1|' | sort -u)"
rm -f "$here"/*.json
for name in $names; do
  cp "$catalog/terraform-aws-modules__${name}__aws.json" "$here/"
  chmod 644 "$here/terraform-aws-modules__${name}__aws.json"
done
echo "copied $(echo "$names" | wc -l) module interfaces into $here"
