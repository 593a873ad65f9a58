#!/usr/bin/env bash
# Builds the openedx or the MFE image with Tutor, with this repository's customisations: the
# Tutor settings of ci/tutor-build/config.yml, the Python packages of ci/tutor-build/requirements.txt
# and the themes of ci/tutor-build/themes/. The build workflow calls it; it also runs on a laptop
# with Docker (without --push the image is loaded into the local Docker).
#
#   scripts/tutor-build.sh [--push] [--tag TAG] [--no-cache] openedx|mfe
#   scripts/tutor-build.sh --print-tag
#
#   --push       push the image (and its build cache) to the registry instead of loading it; when
#                the registry (ECR) has the tag already, build and push nothing: tags are
#                immutable, so a re-run of the same commit is a no-op
#   --tag TAG    image tag (default: <tutor version>-<first 12 characters of the newest commit
#                that changed what the image is built from>, see build_inputs)
#   --print-tag  print that default tag and exit (the deploy workflows deploy it)
#   --no-cache   neither read nor write the registry build cache (buildcache-* tags)
#
# Needs tutor (pip install -r ci/tutor-requirements.txt) and docker buildx; --push needs a
# `docker login` to the registry (the workflow uses aws-actions/amazon-ecr-login).
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_dir/ci/tutor-build"
push=false
tag=""
cache=true
print_tag=false

# What the image is built from: the paths of the build workflow's push trigger. The default tag
# names the newest commit that changed one of them, so a later commit that changes configuration
# alone has the same image tag and a deploy of it finds the image (or waits for its build).
build_inputs=(ci/tutor-build ci/tutor-plugins ci/tutor-requirements.txt scripts/tutor-build.sh .github/workflows/build.yml)

die() { printf 'tutor-build: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'tutor-build: %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --push) push=true; shift ;;
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --no-cache) cache=false; shift ;;
    --print-tag) print_tag=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
command -v tutor >/dev/null || die "tutor is not installed (pip install -r ci/tutor-requirements.txt)"
tutor_version="$(tutor --version | awk '{print $NF}')"
if [ -z "$tag" ]; then
  # A shallow clone would make its only commit the newest change of every path.
  if [ "$(git -C "$repo_dir" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    die "the clone is shallow: the image's commit needs the history (actions/checkout fetch-depth: 0)"
  fi
  commit="$(git -C "$repo_dir" log -1 --format=%H -- "${build_inputs[@]}" 2>/dev/null || true)"
  [ -n "$commit" ] || commit="$(git -C "$repo_dir" rev-parse HEAD)"
  tag="$tutor_version-${commit:0:12}"
fi
if [ "$print_tag" = true ]; then
  echo "$tag"
  exit 0
fi

[ "$#" -eq 1 ] || { usage >&2; exit 2; }
image="$1"
case "$image" in
  openedx) image_key=DOCKER_IMAGE_OPENEDX ;;
  mfe) image_key=MFE_DOCKER_IMAGE ;;
  *) die "unknown image '$image' (openedx or mfe)" ;;
esac
python="$(dirname "$(command -v tutor)")/python"
[ -x "$python" ] || python="python3"

export TUTOR_ROOT="${TUTOR_ROOT:-$(mktemp -d)}"
export TUTOR_PLUGINS_ROOT="$repo_dir/ci/tutor-plugins"
mkdir -p "$TUTOR_ROOT"
cp "$build_dir/config.yml" "$TUTOR_ROOT/config.yml"

# Image names with the new tag, and the extra requirements as a YAML (JSON) list.
"$python" - "$TUTOR_ROOT/config.yml" "$build_dir/requirements.txt" "$tag" <<'PY'
import sys, yaml
config_file, requirements_file, tag = sys.argv[1:4]
config = yaml.safe_load(open(config_file)) or {}
for key in ("DOCKER_IMAGE_OPENEDX", "MFE_DOCKER_IMAGE"):
    name = config[key].rsplit(":", 1)[0] if ":" in config[key].split("/")[-1] else config[key]
    config[key] = f"{name}:{tag}"
requirements = []
for line in open(requirements_file):
    line = line.split(" #", 1)[0].strip()
    if line and not line.startswith("#"):
        requirements.append(line)
if requirements:
    config["OPENEDX_EXTRA_PIP_REQUIREMENTS"] = requirements
yaml.safe_dump(config, open(config_file, "w"), default_flow_style=False, sort_keys=True)
PY
tutor config save
target="$(tutor config printvalue "$image_key")"

if [ "$image" = openedx ]; then
  themes_dir="$TUTOR_ROOT/env/build/openedx/themes"
  for theme in "$build_dir"/themes/*/; do
    [ -d "$theme" ] || continue
    log "adding theme $(basename "$theme")"
    cp -R "$theme" "$themes_dir/"
  done
fi

# Registry, repository and region of the target, for ECR look-ups.
repository="${target#*/}"
repository="${repository%:*}"
registry="${target%%/*}"
region="$(sed -n 's/^[0-9]*\.dkr\.ecr\.\([a-z0-9-]*\)\.amazonaws\.com$/\1/p' <<<"$registry")"

# Whether ECR has the tag $1. Only ImageNotFoundException means no: any other error (throttling,
# expired credentials, no repository) stops the build rather than rebuilding for an hour and then
# failing on the immutable tag.
in_registry() {
  local error
  [ -n "$region" ] && command -v aws >/dev/null || return 1
  if error="$(aws ecr describe-images --region "$region" --repository-name "$repository" \
    --image-ids imageTag="$1" 2>&1 >/dev/null)"; then
    return 0
  fi
  case "$error" in
    *ImageNotFoundException*) return 1 ;;
    *) die "cannot tell whether $repository:$1 is in ECR: $error" ;;
  esac
}

if [ "$push" = true ] && in_registry "$tag"; then
  log "$target is in the registry already: nothing to build (tags are immutable)"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    { echo "image=$target"; echo "tag=$tag"; } >> "$GITHUB_OUTPUT"
  fi
  exit 0
fi

args=(--no-registry-cache)
if [ "$push" = true ]; then
  args+=("--output=type=image,push=true")
else
  args+=("--output=type=docker")
fi
if [ "$cache" = true ]; then
  # The registry keeps tags immutable, so every build writes its cache under a tag of its own
  # (buildcache-<image tag>) and reads the newest earlier cache of the same Tutor version.
  previous=""
  if [ -n "$region" ] && command -v aws >/dev/null; then
    previous="$(aws ecr describe-images --region "$region" --repository-name "$repository" \
      --filter tagStatus=TAGGED --query 'reverse(sort_by(imageDetails, &imagePushedAt))[].imageTags[]' \
      --output text 2>/dev/null | tr '\t' '\n' | grep -m1 "^buildcache-$tutor_version-" || true)"
  fi
  if [ -n "$previous" ]; then
    log "reusing the build cache $previous"
    args+=(--docker-arg="--cache-from=type=registry,ref=$registry/$repository:$previous")
  fi
  # A run that failed after exporting its cache left buildcache-<tag>: immutable, so keep it.
  if [ "$push" = true ] && ! in_registry "buildcache-$tag"; then
    args+=(--docker-arg="--cache-to=type=registry,ref=$registry/$repository:buildcache-$tag,mode=max,image-manifest=true,oci-mediatypes=true")
  fi
fi
log "building $target"
tutor images build "${args[@]}" "$image"
log "built $target"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "image=$target"; echo "tag=$tag"; } >> "$GITHUB_OUTPUT"
fi
