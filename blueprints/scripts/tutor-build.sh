#!/usr/bin/env bash
# Builds the openedx or the MFE image with Tutor, with this repository's customisations: the
# Tutor settings of ci/tutor-build/config.yml, the Python packages of ci/tutor-build/requirements.txt
# and the themes of ci/tutor-build/themes/. The build workflow calls it; it also runs on a laptop
# with Docker (without --push the image is loaded into the local Docker).
#
#   scripts/tutor-build.sh [--push] [--tag TAG] [--no-cache] openedx|mfe
#
#   --push       push the image (and its build cache) to the registry instead of loading it; when
#                the registry (ECR) has the tag already, build and push nothing: tags are
#                immutable, so a re-run of the same commit is a no-op
#   --tag TAG    image tag (default: <tutor version>-<first 12 characters of the HEAD commit>)
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

die() { printf 'tutor-build: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'tutor-build: %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --push) push=true; shift ;;
    --tag) tag="${2:?--tag needs a value}"; shift 2 ;;
    --no-cache) cache=false; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[ "$#" -eq 1 ] || { usage >&2; exit 2; }
image="$1"
case "$image" in
  openedx) image_key=DOCKER_IMAGE_OPENEDX ;;
  mfe) image_key=MFE_DOCKER_IMAGE ;;
  *) die "unknown image '$image' (openedx or mfe)" ;;
esac
command -v tutor >/dev/null || die "tutor is not installed (pip install -r ci/tutor-requirements.txt)"
python="$(dirname "$(command -v tutor)")/python"
[ -x "$python" ] || python="python3"

tutor_version="$(tutor --version | awk '{print $NF}')"
if [ -z "$tag" ]; then
  tag="$tutor_version-$(git -C "$repo_dir" rev-parse --short=12 HEAD)"
fi

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

if [ "$push" = true ] && [ -n "$region" ] && command -v aws >/dev/null &&
  aws ecr describe-images --region "$region" --repository-name "$repository" \
    --image-ids imageTag="$tag" >/dev/null 2>&1; then
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
  if [ "$push" = true ] && ! { [ -n "$region" ] && command -v aws >/dev/null &&
    aws ecr describe-images --region "$region" --repository-name "$repository" \
      --image-ids imageTag="buildcache-$tag" >/dev/null 2>&1; }; then
    args+=(--docker-arg="--cache-to=type=registry,ref=$registry/$repository:buildcache-$tag,mode=max,image-manifest=true,oci-mediatypes=true")
  fi
fi
log "building $target"
tutor images build "${args[@]}" "$image"
log "built $target"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "image=$target"; echo "tag=$tag"; } >> "$GITHUB_OUTPUT"
fi
