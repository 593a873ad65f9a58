#!/usr/bin/env bash
# Deploys Open edX to one environment with Tutor: the deploy workflows call it, and so can a person
# whose kubectl points at the environment's cluster.
#
#   scripts/tutor-deploy.sh [options] <environment>
#
#   --image-tag TAG       tag of the openedx and MFE images in ECR (default: $IMAGE_TAG, else the
#                         tag running now if the installed Tutor built it, else the newest
#                         <tutor version>-* tag in ECR); it must start with `<tutor version>-`,
#                         the version of the installed Tutor (scripts/tutor-build.sh tags so)
#   --secrets-from DIR    read the values of ci/tutor-deploy/cluster-secrets.txt from files
#                         DIR/<secret>/<key> instead of the cluster (tests, break-glass)
#   --render-only         stop after `tutor config save`: no cluster needed with --secrets-from
#   --skip-init           do not run Tutor's init jobs (migrations etc.)
#   --regenerate-secrets  let Tutor generate new secrets although Open edX is deployed and the
#                         secret tutor-generated is gone (everyone is logged out)
#   --timeout DURATION    how long to wait for the deployments to become ready (default 15m)
#
# Steps: copy ci/tutor-deploy/environments/<environment>/config.yml into a fresh Tutor root
# ($TUTOR_ROOT, default a temporary directory), add the values Terraform stored in the cluster,
# the values Tutor generated at the first deploy (secret tutor-generated, created here), and the
# image tags; `tutor config save`; `tutor k8s start`; `tutor k8s do init`; set the theme; wait for
# LMS and CMS. Secret values are never printed (and are masked in GitHub Actions logs).
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
generated_secret="tutor-generated"
image_tag="${IMAGE_TAG:-}"
secrets_from=""
render_only=false
skip_init=false
regenerate=false
timeout="15m"

die() { printf 'tutor-deploy: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'tutor-deploy: %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --image-tag) image_tag="${2:?--image-tag needs a value}"; shift 2 ;;
    --secrets-from) secrets_from="${2:?--secrets-from needs a directory}"; shift 2 ;;
    --render-only) render_only=true; shift ;;
    --skip-init) skip_init=true; shift ;;
    --regenerate-secrets) regenerate=true; shift ;;
    --timeout) timeout="${2:?--timeout needs a duration}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[ "$#" -eq 1 ] || { usage >&2; exit 2; }
environment="$1"
env_dir="$repo_dir/ci/tutor-deploy/environments/$environment"
[ -f "$env_dir/config.yml" ] || die "no environment '$environment' (missing $env_dir/config.yml)"
[ -z "$secrets_from" ] || [ -d "$secrets_from" ] || die "--secrets-from: $secrets_from is not a directory"
if [ "$render_only" = false ] && [ -n "$secrets_from" ]; then
  log "warning: deploying with values from $secrets_from instead of the cluster"
fi

command -v tutor >/dev/null || die "tutor is not installed (pip install -r ci/tutor-requirements.txt)"
# The Python that runs Tutor has PyYAML; use it for the YAML work below.
python="$(dirname "$(command -v tutor)")/python"
[ -x "$python" ] || python="python3"
"$python" -c 'import yaml' 2>/dev/null || die "$python cannot import yaml"
if [ "$render_only" = false ] || [ -z "$secrets_from" ]; then
  command -v kubectl >/dev/null || die "kubectl is not installed"
fi

export TUTOR_ROOT="${TUTOR_ROOT:-$(mktemp -d)}"
export TUTOR_PLUGINS_ROOT="$repo_dir/ci/tutor-plugins"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$TUTOR_ROOT"

# yaml_value KEY: a scalar of the committed config.yml
yaml_value() {
  "$python" - "$env_dir/config.yml" "$1" <<'PY'
import sys, yaml
value = (yaml.safe_load(open(sys.argv[1])) or {}).get(sys.argv[2], "")
print("" if value is None else value)
PY
}
namespace="$(yaml_value K8S_NAMESPACE)"
[ -n "$namespace" ] || die "K8S_NAMESPACE is not set in $env_dir/config.yml"
openedx_image="$(yaml_value DOCKER_IMAGE_OPENEDX)"
mfe_image="$(yaml_value MFE_DOCKER_IMAGE)"
tutor_version="$(tutor --version | awk '{print $NF}')"

# 1. Values from the cluster (or --secrets-from), as a JSON object of Tutor keys.
mkdir -p "$work/secrets"
while read -r secret _; do
  case "$secret" in '' | '#'*) continue ;; esac
  dest="$work/secrets/$secret"
  [ -e "$dest" ] || [ -n "$secrets_from" ] || {
    kubectl --namespace "$namespace" get secret "$secret" --output json > "$dest" ||
      die "cannot read secret $secret in namespace $namespace"
  }
done < "$repo_dir/ci/tutor-deploy/cluster-secrets.txt"
if [ -z "$secrets_from" ] && [ "$render_only" = false ]; then
  if kubectl --namespace "$namespace" get secret "$generated_secret" --output json \
    > "$work/generated.json" 2> "$work/generated.err"; then
    log "using the values Tutor generated at the first deploy (secret $generated_secret)"
  elif grep -q NotFound "$work/generated.err"; then
    rm -f "$work/generated.json"
    # New secrets would log everyone out and change the openedx MySQL password: only on a first
    # deploy, or when asked for.
    if kubectl --namespace "$namespace" get deployment lms >/dev/null 2>&1 && [ "$regenerate" = false ]; then
      die "secret $generated_secret is missing but Open edX is deployed in $namespace; restore the" \
        "secret, or pass --regenerate-secrets to let Tutor generate new ones"
    fi
    log "first deploy: Tutor generates its secrets now; they are kept in secret $generated_secret"
  else
    die "cannot read secret $generated_secret: $(cat "$work/generated.err")"
  fi
fi

"$python" - "$repo_dir/ci/tutor-deploy/cluster-secrets.txt" "$work" "${secrets_from:-}" <<'PY'
import base64, json, os, sys
table, work, secrets_from = sys.argv[1:4]
cast = {
    "str": str,
    "int": int,
    "bool": lambda v: {"true": True, "false": False}[v.strip().lower()],
}
values, masks = {}, []
for number, line in enumerate(open(table), 1):
    words = line.split()
    if not words or words[0].startswith("#"):
        continue
    secret, key, config_key, kind = words
    optional = kind.endswith("?")  # an absent key reads as empty
    kind = kind.rstrip("?")
    if secrets_from:
        path = os.path.join(secrets_from, secret, key)
        present = os.path.exists(path)
        raw = open(path).read().rstrip("\n") if present else ""
    else:
        data = json.load(open(os.path.join(work, "secrets", secret))).get("data") or {}
        present = key in data
        raw = base64.b64decode(data[key]).decode() if present else ""
    if not present and not optional:
        sys.exit(f"tutor-deploy: error: secret {secret} has no key {key} ({table}:{number})")
    try:
        values[config_key] = cast[kind](raw)
    except (KeyError, ValueError):
        sys.exit(f"tutor-deploy: error: {secret}/{key} is not a valid {kind} ({table}:{number})")
    if kind == "str" and raw and config_key.endswith(("PASSWORD", "SECRET_ACCESS_KEY", "ACCESS_KEY")):
        masks.append(raw)
generated = {}
generated_file = os.path.join(work, "generated.json")
if os.path.exists(generated_file):
    data = json.load(open(generated_file)).get("data") or {}
    generated = {k: base64.b64decode(v).decode() for k, v in data.items()}
    masks.extend(generated.values())
json.dump(values, open(os.path.join(work, "cluster.json"), "w"))
json.dump(generated, open(os.path.join(work, "generated-values.json"), "w"))
if os.environ.get("GITHUB_ACTIONS") == "true":
    for secret in masks:
        for part in secret.splitlines():
            if part.strip():
                print(f"::add-mask::{part}")
PY

# 2. Image tags: the one asked for, else the one running now (a configuration change), else the
#    newest of this Tutor version in ECR (first deploy; needs ecr:DescribeImages). The settings
#    and manifests rendered here are those of the installed Tutor: an image that another Tutor
#    version built would get configuration it was not built for (the build tags every image
#    <tutor version>-<commit>), so such a tag is refused, and a running one is replaced.
built_by_this_tutor() { case "$1" in "$tutor_version"-?*) return 0 ;; *) return 1 ;; esac; }
if [ -n "$image_tag" ] && ! built_by_this_tutor "$image_tag"; then
  die "image tag $image_tag was not built by the installed Tutor $tutor_version (tags are" \
    "$tutor_version-<commit>): build the image with this Tutor version, or install the Tutor" \
    "version that built it (ci/tutor-requirements.txt)"
fi
if [ -z "$image_tag" ] && [ "$render_only" = false ]; then
  running="$(kubectl --namespace "$namespace" get deployment lms \
    --output 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null || true)"
  if [ -n "$running" ] && [ "${running%:*}" = "${openedx_image%:*}" ]; then
    if built_by_this_tutor "${running##*:}"; then
      image_tag="${running##*:}"
      log "no --image-tag: keeping the running image tag $image_tag"
    else
      log "no --image-tag: the running image ${running##*:} was built by another Tutor version than" \
        "the installed $tutor_version: choosing the newest $tutor_version-* image instead"
    fi
  fi
fi
if [ -z "$image_tag" ] && [ "$render_only" = false ]; then
  repository="${openedx_image#*/}"
  repository="${repository%%:*}"
  log "no --image-tag: looking up the newest $tutor_version-* image in ECR repository $repository"
  image_tag=""
  for candidate in $(aws ecr describe-images --repository-name "$repository" --filter tagStatus=TAGGED \
    --query 'reverse(sort_by(imageDetails, &imagePushedAt))[].imageTags[]' --output text); do
    if built_by_this_tutor "$candidate"; then image_tag="$candidate"; break; fi
  done
  [ -n "$image_tag" ] || die "no image tagged $tutor_version-* in $repository: run the build workflow first"
fi
sets=()
if [ -n "$image_tag" ]; then
  log "images: ${openedx_image%:*}:$image_tag and ${mfe_image%:*}:$image_tag"
  sets+=(--set "DOCKER_IMAGE_OPENEDX=${openedx_image%:*}:$image_tag" --set "MFE_DOCKER_IMAGE=${mfe_image%:*}:$image_tag")
fi

# 3. The Tutor configuration: committed values, then generated ones, then the cluster's.
"$python" - "$env_dir/config.yml" "$work" "$TUTOR_ROOT/config.yml" <<'PY'
import json, os, sys, yaml
committed_file, work, target = sys.argv[1:4]
config = yaml.safe_load(open(committed_file)) or {}
for name in ("generated-values.json", "cluster.json"):
    config.update(json.load(open(os.path.join(work, name))))
# Tutor would generate an 8-character password for the openedx MySQL user: make it a long one.
if "OPENEDX_MYSQL_PASSWORD" not in config:
    import secrets
    config["OPENEDX_MYSQL_PASSWORD"] = secrets.token_urlsafe(24)
old_umask = os.umask(0o077)
with open(target, "w") as out:
    yaml.safe_dump(config, out, default_flow_style=False, sort_keys=True)
os.umask(old_umask)
PY
tutor config save "${sets[@]}"

# 4. Keep what Tutor generated (first deploy, or a new plugin's secrets) for the next deploys.
"$python" - "$env_dir/config.yml" "$work" "$TUTOR_ROOT/config.yml" <<'PY'
import json, os, sys, yaml
committed_file, work, saved_file = sys.argv[1:4]
committed = yaml.safe_load(open(committed_file)) or {}
cluster = json.load(open(os.path.join(work, "cluster.json")))
generated = json.load(open(os.path.join(work, "generated-values.json")))
saved = yaml.safe_load(open(saved_file)) or {}
skip = set(committed) | set(cluster) | {"DOCKER_IMAGE_OPENEDX", "MFE_DOCKER_IMAGE"}
# Tutor's generated values are strings (keys, passwords, ids); lists such as PLUGIN_INDEXES are
# defaults that Tutor writes back, not secrets.
keep = {k: v for k, v in saved.items() if k not in skip and isinstance(v, str)}
if os.environ.get("GITHUB_ACTIONS") == "true":
    for value in keep.values():
        for part in value.splitlines():
            if part.strip():
                print(f"::add-mask::{part}")
outdir = os.path.join(work, "generated")
os.makedirs(outdir, mode=0o700)
for key, value in keep.items():
    with open(os.path.join(outdir, key), "w") as out:
        out.write(value)
changed = keep != generated
open(os.path.join(work, "generated-changed"), "w").write("yes" if changed else "no")
PY
if [ "$render_only" = true ]; then
  log "rendered $TUTOR_ROOT/env (render only: nothing applied)"
  exit 0
fi
if [ "$(cat "$work/generated-changed")" = yes ]; then
  log "storing Tutor's generated values in secret $generated_secret"
  kubectl --namespace "$namespace" create secret generic "$generated_secret" \
    --from-file="$work/generated" --dry-run=client --output yaml |
    kubectl --namespace "$namespace" apply --filename - >/dev/null
fi

# 5. Apply, initialise, theme, wait.
log "applying the manifests to namespace $namespace"
tutor k8s start --prune-configmaps
if [ "$skip_init" = false ]; then
  log "running Tutor's init jobs"
  tutor k8s "do" init
fi
theme="$(tutor config printvalue DEVOPS_THEME)"
if [ -n "$theme" ]; then
  log "setting the default theme to $theme"
  tutor k8s "do" settheme "$theme"
fi
for deployment in lms cms lms-worker cms-worker mfe; do
  if kubectl --namespace "$namespace" get deployment "$deployment" >/dev/null 2>&1; then
    log "waiting for deployment/$deployment"
    kubectl --namespace "$namespace" rollout status "deployment/$deployment" --timeout "$timeout"
  fi
done
log "done: https://$(tutor config printvalue LMS_HOST) and https://$(tutor config printvalue CMS_HOST)"
