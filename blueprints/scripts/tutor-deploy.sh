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
#   --skip-init           do not run Tutor's init jobs (migrations etc.) nor the theme job
#   --regenerate-secrets  let Tutor generate new secrets although Open edX is deployed and the
#                         secret tutor-generated is gone from the cluster and from Secrets
#                         Manager (everyone is logged out)
#   --running-release NAME  the Open edX release running now, for a platform that this script
#                         deployed before it recorded releases and whose running image tag does
#                         not tell (or to correct the record); one of the names in RELEASES below
#   --timeout DURATION    how long to wait for the deployments to become ready (default 15m)
#
# Steps: copy ci/tutor-deploy/environments/<environment>/config.yml into a fresh Tutor root
# ($TUTOR_ROOT, default a temporary directory), add the values Terraform stored in the cluster,
# the values Tutor generated at the first deploy (secret tutor-generated, created here, and its
# copy in AWS Secrets Manager, <resource prefix>/tutor-generated: a rebuilt cluster gets them back
# from there), and the image tags; `tutor config save`; when the installed Tutor deploys the next
# Open edX release, `tutor k8s upgrade --from=<running release>`; `tutor k8s start`; `tutor k8s do
# init`; set the theme; wait for LMS and CMS; prune the ConfigMaps of the previous configuration.
# The release is recorded in ConfigMap openedx-release before the new manifests are applied.
# Secret values are never printed (and are masked in GitHub Actions logs).
#
# Releases: the installed Tutor's major version names the release it deploys (RELEASES below).
# The running one is ConfigMap openedx-release's `release`; without it (deployed before this
# script recorded it) the major version of the running LMS image tag (<tutor version>-<commit>)
# tells it; failing that, --running-release. Open edX upgrades one release at a time: the next
# release is upgraded to, a skip or a downgrade is refused before anything is applied.
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
generated_secret="tutor-generated"
release_configmap="openedx-release"
# Open edX releases in order, each with the major version of the Tutor that deploys it
# (openedx.releases in the generator's _versions.yml; Tutor's tutor/env.py get_release).
RELEASES="[[ versions.openedx.releases ]]"
aws_region="[[ answers.aws_region ]]"
running_release=""
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
    --running-release) running_release="${2:?--running-release needs a release name}"; shift 2 ;;
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
# The Secrets Manager copy of tutor-generated (terraform/modules/github-deploy-role).
case "$environment" in
[% for e in environments %]
  [[ e.name ]]) aws_secret="[[ e.resource_prefix ]]/tutor-generated" ;;
[% endfor %]
  *) die "environment '$environment' has no Secrets Manager copy of $generated_secret in this script" ;;
esac
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

# Everything written from here on (the Tutor root with its rendered passwords, the work files)
# is readable by this user alone.
umask 077
own_root=""
if [ -z "${TUTOR_ROOT:-}" ]; then
  TUTOR_ROOT="$(mktemp -d)"
  # A temporary root holds every rendered password: removed at exit, unless --render-only was
  # asked for to look at it.
  [ "$render_only" = true ] || own_root="$TUTOR_ROOT"
fi
export TUTOR_ROOT
export TUTOR_PLUGINS_ROOT="$repo_dir/ci/tutor-plugins"
work="$(mktemp -d)"
trap 'rm -rf "$work" ${own_root:+"$own_root"}' EXIT
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
tutor_version="$(tutor --version | awk '{print $NF}')"

# RELEASES as an array of name:major entries, oldest first.
read -r -a releases <<< "$RELEASES"
# release_of MAJOR: the release a Tutor major version deploys (empty when unknown)
release_of() {
  local entry
  for entry in "${releases[@]}"; do
    if [ "${entry#*:}" = "$1" ]; then printf '%s' "${entry%%:*}"; return 0; fi
  done
}
# release_index NAME: its position in the releases (empty when unknown)
release_index() {
  local index
  for index in "${!releases[@]}"; do
    if [ "${releases[index]%%:*}" = "$1" ]; then printf '%s' "$index"; return 0; fi
  done
}
release_names() { printf '%s' "${releases[*]%%:*}"; }
tutor_major="${tutor_version%%.*}"
release="$(release_of "$tutor_major")"
[ -n "$release" ] || die "the installed Tutor $tutor_version deploys a release this script does not" \
  "know (known: $RELEASES): run \`openedx-devops update\` with a generator that knows Tutor" \
  "$tutor_major, or install the Tutor of ci/tutor-requirements.txt"
if [ -n "$running_release" ] && [ -z "$(release_index "$running_release")" ]; then
  die "--running-release $running_release is not one of: $(release_names)"
fi

# 0. Which release runs now, and whether this deploy upgrades it (nothing is applied yet).
upgrade_from=""
if [ "$render_only" = false ]; then
  if [ -n "$running_release" ]; then
    log "running release: $running_release (--running-release)"
  elif kubectl --namespace "$namespace" get configmap "$release_configmap" --output json \
    > "$work/release.json" 2> "$work/release.err"; then
    running_release="$("$python" -c 'import json, sys; print((json.load(open(sys.argv[1])).get("data") or {}).get("release", ""))' "$work/release.json")"
    [ -n "$(release_index "$running_release")" ] || die "ConfigMap $release_configmap in $namespace" \
      "records release '$running_release', which is not one of: $(release_names); pass --running-release NAME"
    log "running release: $running_release (ConfigMap $release_configmap)"
  elif ! grep -q NotFound "$work/release.err"; then
    die "cannot read ConfigMap $release_configmap in $namespace: $(cat "$work/release.err")"
  elif running_image="$(kubectl --namespace "$namespace" get deployment lms \
    --output 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null)" && [ -n "$running_image" ]; then
    # Deployed before releases were recorded: the build tags images <tutor version>-<commit>, so
    # the tag's major version is the Tutor, hence the release, that built the running image.
    running_tag="${running_image##*:}"
    running_major="${running_tag%%.*}"
    case "$running_major" in '' | *[!0-9]*) running_major="" ;; esac
    [ "$running_tag" != "$running_image" ] && [ -n "$running_major" ] &&
      running_release="$(release_of "$running_major")"
    [ -n "$running_release" ] || die "Open edX runs in $namespace (image $running_image) but neither" \
      "ConfigMap $release_configmap nor the image tag tells which release it is: pass" \
      "--running-release NAME (one of: $(release_names))"
    log "running release: $running_release (no ConfigMap $release_configmap: from the running image tag $running_tag)"
  else
    log "first deploy: no Open edX runs in $namespace"
  fi
  if [ -n "$running_release" ]; then
    running_index="$(release_index "$running_release")"
    target_index="$(release_index "$release")"
    if [ "$target_index" -lt "$running_index" ]; then
      die "Open edX $running_release runs in $namespace, but the installed Tutor $tutor_version deploys" \
        "the older $release: a downgrade is not possible (the databases carry $running_release's" \
        "migrations); install the Tutor of $running_release (ci/tutor-requirements.txt)"
    elif [ "$target_index" -gt $((running_index + 1)) ]; then
      next="${releases[running_index + 1]}"
      next_major="${next#*:}"
      next="${next%%:*}"
      die "Open edX $running_release runs in $namespace, but the installed Tutor $tutor_version deploys" \
        "$release: Open edX upgrades one release at a time. Upgrade to $next first: install Tutor" \
        "$next_major (tutor==$next_major.* and its plugins in ci/tutor-requirements.txt), build the" \
        "images, deploy; then move on to $release"
    elif [ "$target_index" -gt "$running_index" ]; then
      upgrade_from="$running_release"
      log "upgrade: Open edX $running_release runs in $namespace, this deploy upgrades it to $release"
      if [ "$skip_init" = true ]; then
        log "warning: --skip-init during an upgrade: the migrations of $release run at the next deploy" \
          "without --skip-init; run it before the platform is used"
      fi
    fi
  fi
fi

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
mirror=false
if [ -z "$secrets_from" ] && [ "$render_only" = false ]; then
  mirror=true
  # The secret itself must exist (Terraform creates it, without a value): without it a rebuilt
  # cluster could not tell a lost copy from a first deploy.
  aws secretsmanager describe-secret --region "$aws_region" --secret-id "$aws_secret" \
    --query Name --output text > /dev/null 2> "$work/aws.err" ||
    die "cannot find Secrets Manager secret $aws_secret, where the deploy keeps a copy of" \
      "$generated_secret: apply terraform/environments/$environment/github-deploy-role first" \
      "($(tr '\n' ' ' < "$work/aws.err"))"
  # The AWS copy, as written by an earlier deploy (no copy yet reads as
  # ResourceNotFoundException). Only into a file of the private $work.
  if aws secretsmanager get-secret-value --region "$aws_region" --secret-id "$aws_secret" \
    --query SecretString --output text > "$work/aws-generated.json" 2> "$work/aws.err"; then
    log "Secrets Manager $aws_secret holds a copy of $generated_secret"
  elif grep -q ResourceNotFoundException "$work/aws.err"; then
    rm -f "$work/aws-generated.json"
  else
    die "cannot read Secrets Manager secret $aws_secret: $(cat "$work/aws.err")"
  fi
  if kubectl --namespace "$namespace" get secret "$generated_secret" --output json \
    > "$work/generated.json" 2> "$work/generated.err"; then
    log "using the values Tutor generated at the first deploy (secret $generated_secret)"
  elif grep -q NotFound "$work/generated.err"; then
    rm -f "$work/generated.json"
    if [ -f "$work/aws-generated.json" ] && [ "$regenerate" = false ]; then
      # A rebuilt cluster (or a deleted secret): the copy keeps sessions, JWTs and OAuth clients.
      log "secret $generated_secret is missing: restoring it from Secrets Manager $aws_secret"
      touch "$work/restore"
    # New secrets would log everyone out and change the openedx MySQL password: only on a first
    # deploy, or when asked for.
    elif kubectl --namespace "$namespace" get deployment lms >/dev/null 2>&1 && [ "$regenerate" = false ]; then
      die "secret $generated_secret is missing but Open edX is deployed in $namespace, and Secrets" \
        "Manager $aws_secret has no copy; restore the secret, or pass --regenerate-secrets to let" \
        "Tutor generate new ones"
    elif [ "$regenerate" = true ]; then
      log "--regenerate-secrets: Tutor generates new secrets (everyone is logged out)"
    else
      log "first deploy: Tutor generates its secrets now; they are kept in secret $generated_secret" \
        "and in Secrets Manager $aws_secret"
    fi
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
# The Secrets Manager copy: a JSON object of strings, or the restore would be refused.
aws_file = os.path.join(work, "aws-generated.json")
if os.path.exists(aws_file):
    try:
        copy = json.load(open(aws_file))
    except ValueError:
        copy = None
    if not isinstance(copy, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in copy.items()):
        sys.exit("tutor-deploy: error: the Secrets Manager copy of tutor-generated is not a JSON object of strings")
    masks.extend(copy.values())
    if os.path.exists(os.path.join(work, "restore")):
        generated = copy
    json.dump(copy, open(os.path.join(work, "aws-values.json"), "w"))
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
  # Every image of one build has the same tag: openedx, MFE and the plugins' (scripts/tutor-build.sh).
  for key in [% for image in images %][[ image.key ]][% if not loop.last %] [% endif %][% endfor %]; do
    name="$(yaml_value "$key")"
    log "image $key: ${name%:*}:$image_tag"
    sets+=(--set "$key=${name%:*}:$image_tag")
  done
fi

# Tutor's ID names the platform in the label app.kubernetes.io/instance=openedx-<ID> that every
# Deployment's selector carries, and a selector cannot change: a running platform keeps its ID
# whatever happens to tutor-generated (--regenerate-secrets, a copy without it), or `tutor k8s
# start` fails halfway with the Services already pointing at no pod.
if [ "$render_only" = false ]; then
  kubectl --namespace "$namespace" get deployment lms \
    --output 'jsonpath={.metadata.labels.app\.kubernetes\.io/instance}' > "$work/instance" 2>/dev/null ||
    rm -f "$work/instance"
fi

# 3. The Tutor configuration: committed values, then generated ones, then the cluster's.
"$python" - "$env_dir/config.yml" "$work" "$TUTOR_ROOT/config.yml" <<'PY'
import json, os, sys, yaml
committed_file, work, target = sys.argv[1:4]
config = yaml.safe_load(open(committed_file)) or {}
for name in ("generated-values.json", "cluster.json"):
    config.update(json.load(open(os.path.join(work, name))))
instance_file = os.path.join(work, "instance")
instance = open(instance_file).read().strip() if os.path.exists(instance_file) else ""
if instance.startswith("openedx-") and len(instance) > len("openedx-"):
    config["ID"] = instance[len("openedx-"):]
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
# A plugin of PLUGINS that is not installed only gets a warning from Tutor, and its manifests
# (autoscalers, for one) silently go missing: refuse instead.
enabled="$(tutor plugins list --enabled 2>/dev/null | awk 'NR > 1 {print $1}')"
"$python" - "$env_dir/config.yml" "$enabled" <<'PY'
import sys, yaml
config_file, enabled = sys.argv[1], set(sys.argv[2].split())
missing = [p for p in (yaml.safe_load(open(config_file)) or {}).get("PLUGINS") or [] if p not in enabled]
if missing:
    sys.exit(f"tutor-deploy: error: PLUGINS of {config_file} lists {', '.join(missing)}, which Tutor could not enable: pip install -r ci/tutor-requirements.txt")
PY

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
old_umask = os.umask(0o077)
outdir = os.path.join(work, "generated")
os.makedirs(outdir, mode=0o700)
for key, value in keep.items():
    with open(os.path.join(outdir, key), "w") as out:
        out.write(value)
# The cluster secret is written when it would change, or is restored; the AWS copy when it
# differs from what the cluster now has (first deploy, a new plugin's secret, a copy not yet made).
changed = keep != generated or os.path.exists(os.path.join(work, "restore"))
open(os.path.join(work, "generated-changed"), "w").write("yes" if changed else "no")
aws_values = os.path.join(work, "aws-values.json")
copy = json.load(open(aws_values)) if os.path.exists(aws_values) else None
with open(os.path.join(work, "aws-new.json"), "w") as out:
    json.dump(keep, out, sort_keys=True)
open(os.path.join(work, "aws-changed"), "w").write("yes" if keep and keep != copy else "no")
os.umask(old_umask)
PY
if [ "$render_only" = true ]; then
  log "rendered $TUTOR_ROOT/env (render only: nothing applied)"
  exit 0
fi
# The AWS copy first: a deploy that cannot keep it stops before anything is applied. The value
# goes from a private file (umask 077 above), never on a command line.
if [ "$mirror" = true ] && [ "$(cat "$work/aws-changed")" = yes ]; then
  log "storing Tutor's generated values in Secrets Manager $aws_secret"
  aws secretsmanager put-secret-value --region "$aws_region" --secret-id "$aws_secret" \
    --secret-string "file://$work/aws-new.json" >/dev/null
fi
if [ "$(cat "$work/generated-changed")" = yes ]; then
  log "storing Tutor's generated values in secret $generated_secret"
  kubectl --namespace "$namespace" create secret generic "$generated_secret" \
    --from-file="$work/generated" --dry-run=client --output yaml |
    kubectl --namespace "$namespace" apply --filename - >/dev/null
fi

# record_release: ConfigMap openedx-release says what runs (the next deploy's upgrade decision).
# Server-side apply leaves no last-applied annotation, so `tutor k8s start --prune-configmaps`
# (which prunes the ConfigMaps that a client-side kubectl apply created and Tutor's manifests
# lack) keeps it.
record_release() {
  log "recording release $release (Tutor $tutor_version) in ConfigMap $release_configmap"
  kubectl --namespace "$namespace" create configmap "$release_configmap" --from-literal=release="$release" \
    --from-literal=tutor_version="$tutor_version" --from-literal=image_tag="$image_tag" \
    --dry-run=client --output yaml |
    kubectl --namespace "$namespace" apply --server-side --field-manager=tutor-deploy --filename - >/dev/null
}

# 5. Upgrade (the release-specific tasks, before the new manifests start), apply, initialise,
#    theme, wait.
if [ -n "$upgrade_from" ]; then
  log "upgrading from $upgrade_from to $release: tutor k8s upgrade --from=$upgrade_from"
  tutor k8s upgrade --from="$upgrade_from"
fi
# The record first: from here on the new release's code runs and its migrations may start, so a
# later failure must not let an older Tutor deploy over them as if nothing had happened.
record_release
log "applying the manifests to namespace $namespace"
# Old ConfigMaps (Tutor names them by a hash of their content) stay until the rollout is done:
# pods of the old ReplicaSet still mount them, and `kubectl rollout undo` needs them.
tutor k8s start
if [ "$skip_init" = false ]; then
  log "running Tutor's init jobs"
  tutor k8s "do" init
fi
theme="$(tutor config printvalue DEVOPS_THEME)"
# The default theme is kept in the database: a deploy that runs no jobs keeps the one set before.
if [ -n "$theme" ] && [ "$skip_init" = false ]; then
  log "setting the default theme to $theme"
  tutor k8s "do" settheme "$theme"
fi
for deployment in lms cms lms-worker cms-worker mfe; do
  if kubectl --namespace "$namespace" get deployment "$deployment" >/dev/null 2>&1; then
    log "waiting for deployment/$deployment"
    kubectl --namespace "$namespace" rollout status "deployment/$deployment" --timeout "$timeout"
  fi
done


# 6. Every deployment runs the new configuration: the ConfigMaps it no longer uses can go.
log "removing the ConfigMaps of the previous configuration"
tutor k8s start --prune-configmaps
log "done: https://$(tutor config printvalue LMS_HOST) and https://$(tutor config printvalue CMS_HOST)"
