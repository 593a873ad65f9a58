#!/usr/bin/env bash
# Builds the openedx or the MFE image with Tutor, with this repository's customisations: the
# Tutor settings of ci/tutor-build/config.yml, the Python packages of ci/tutor-build/requirements.txt
# and the themes of ci/tutor-build/themes/. The build workflow calls it; it also runs on a laptop
# with Docker (without --push the image is loaded into the local Docker).
#
#   scripts/tutor-build.sh [--push] [--tag TAG] [--no-cache] IMAGE
#   scripts/tutor-build.sh --print-tag
#
# IMAGE: [% for image in images %][[ image.name ]][% if not loop.last %], [% endif %][% endfor %] (the openedx and MFE images, and those of the
# Tutor plugins of answers `tutor_plugins`).
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
#
# The openedx image also gets the theme repository of ci/tutor-build/config.yml
# (DEVOPS_THEME_REPOSITORY at DEVOPS_THEME_REF) and every `git+https://` line of
# ci/tutor-build/requirements.txt, cloned here and installed from the clone (Tutor's mounted
# directories), so that a token never reaches the image. PRIVATE_REPOSITORIES_TOKEN, when set, is
# a GitHub token that can read the private ones; it is sent to github.com only.
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
[% for image in images %]
  [[ image.name ]]) image_key=[[ image.key ]] ;;
[% endfor %]
  *) die "unknown image '$image' ([% for image in images %][[ image.name ]][% if not loop.last %], [% endif %][% endfor %])" ;;
esac
# Every image setting, so that all images of one build carry the same tag.
image_keys="[% for image in images %][[ image.key ]][% if not loop.last %] [% endif %][% endfor %]"

# git with the token for github.com only, through the environment (never on a command line).
git_fetch() { # git_fetch URL REF DIR [keep-git]: DIR holds URL at REF (a branch, tag or commit)
  local url="$1" ref="$2" dir="$3" keep="${4:-}"
  local -a auth=()
  if [ -n "${PRIVATE_REPOSITORIES_TOKEN:-}" ]; then
    auth=(GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.https://github.com/.extraheader
      "GIT_CONFIG_VALUE_0=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$PRIVATE_REPOSITORIES_TOKEN" | base64 | tr -d '\n')")
  fi
  mkdir -p "$dir"
  git -C "$dir" init -q
  # A package keeps its .git, with the tag when REF is one: setuptools-scm and the like read the
  # version from it. The token never enters it (it goes through the environment only).
  if [ "$keep" = keep-git ] && env "${auth[@]}" GIT_TERMINAL_PROMPT=0 \
    git -C "$dir" fetch -q --depth 1 "$url" "refs/tags/$ref:refs/tags/$ref" 2>/dev/null; then
    :
  else
    env "${auth[@]}" GIT_TERMINAL_PROMPT=0 git -C "$dir" fetch -q --depth 1 "$url" "$ref" ||
      die "cannot fetch $ref of $url (a private repository needs the GitHub secret PRIVATE_REPOSITORIES_TOKEN)"
  fi
  git -C "$dir" checkout -q --detach FETCH_HEAD
  log "$url at $ref is $(git -C "$dir" rev-parse --short=12 HEAD)"
  [ "$keep" = keep-git ] || rm -rf "$dir/.git"
}
python="$(dirname "$(command -v tutor)")/python"
[ -x "$python" ] || python="python3"

export TUTOR_ROOT="${TUTOR_ROOT:-$(mktemp -d)}"
export TUTOR_PLUGINS_ROOT="$repo_dir/ci/tutor-plugins"
mkdir -p "$TUTOR_ROOT"
cp "$build_dir/config.yml" "$TUTOR_ROOT/config.yml"

# Image names with the new tag, and the extra requirements as a YAML (JSON) list.
# The git requirements go to git-requirements.txt (one `url ref name` per line), the others to
# OPENEDX_EXTRA_PIP_REQUIREMENTS.
: > "$TUTOR_ROOT/git-requirements.txt"
"$python" - "$TUTOR_ROOT/config.yml" "$build_dir/requirements.txt" "$tag" "$image_keys" "$TUTOR_ROOT/git-requirements.txt" <<'PY'
import re, sys, yaml
config_file, requirements_file, tag, image_keys, git_file = sys.argv[1:6]
config = yaml.safe_load(open(config_file)) or {}
for key in image_keys.split():
    name = config[key].rsplit(":", 1)[0] if ":" in config[key].split("/")[-1] else config[key]
    config[key] = f"{name}:{tag}"
requirements, git = [], []
for number, line in enumerate(open(requirements_file), 1):
    line = line.split(" #", 1)[0].strip()
    if not line or line.startswith("#"):
        continue
    name, _, url = line.rpartition(" @ ") if " @ " in line else ("", "", line)
    if not url.startswith("git+"):
        requirements.append(line)
        continue
    url, _, fragment = url[len("git+"):].partition("#")
    slash = url.rfind("/")
    repository, at, ref = url[slash:].partition("@")
    repository = url[:slash] + repository
    parts = dict(part.split("=", 1) for part in fragment.split("&") if "=" in part)
    egg, subdirectory = parts.get("egg", ""), parts.get("subdirectory", ".")
    name = (name.split("[")[0].strip() or egg or repository.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
    if not repository.startswith("https://") or not re.fullmatch(r"[A-Za-z0-9._-]+", name) or " " in ref:
        sys.exit(f"tutor-build: error: {requirements_file}:{number}: install git requirements over https:// (git+https://host/owner/repo.git@<tag or commit>)")
    if subdirectory != "." and (not re.fullmatch(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*", subdirectory) or ".." in subdirectory.split("/")):
        sys.exit(f"tutor-build: error: {requirements_file}:{number}: #subdirectory= must be a relative path inside the repository")
    git.append(f"{repository} {ref or 'HEAD'} {name} {subdirectory}")
if requirements:
    config["OPENEDX_EXTRA_PIP_REQUIREMENTS"] = requirements
with open(git_file, "w") as out:
    out.write("".join(line + "\n" for line in git))
yaml.safe_dump(config, open(config_file, "w"), default_flow_style=False, sort_keys=True)
PY
if [ "$image" = openedx ]; then
  # Each git requirement is cloned as devops-pip-<name>, a folder name the devops plugin adds
  # to Tutor's mounted directories: Tutor's Dockerfile then runs `pip install -e /mnt/<folder>`.
  # With `#subdirectory=`, that folder of the repository is the package, without the history
  # (a package versioned from git tags cannot sit in a subdirectory; pin it on PyPI instead).
  while read -r url ref name subdirectory; do
    [ -n "$url" ] || continue
    package="$TUTOR_ROOT/sources/devops-pip-$name"
    if [ "$subdirectory" = . ]; then
      git_fetch "$url" "$ref" "$package" keep-git
    else
      checkout="$TUTOR_ROOT/sources/.repository-$name"
      git_fetch "$url" "$ref" "$checkout" keep-git
      [ -d "$checkout/$subdirectory" ] || die "$url at $ref has no folder $subdirectory (#subdirectory=)"
      mv "$checkout/$subdirectory" "$package"
      rm -rf "$checkout"
    fi
    tutor mounts add "$package" >/dev/null
  done < "$TUTOR_ROOT/git-requirements.txt"
fi
tutor config save
target="$(tutor config printvalue "$image_key")"

if [ "$image" = openedx ]; then
  themes_dir="$TUTOR_ROOT/env/build/openedx/themes"
  for theme in "$build_dir"/themes/*/; do
    [ -d "$theme" ] || continue
    log "adding theme $(basename "$theme")"
    cp -R "$theme" "$themes_dir/"
  done
  # config_value KEY: a scalar of ci/tutor-build/config.yml (empty when absent)
  config_value() {
    "$python" - "$build_dir/config.yml" "$1" <<'PY'
import sys, yaml
value = (yaml.safe_load(open(sys.argv[1])) or {}).get(sys.argv[2])
print("" if value is None else value)
PY
  }
  theme_repository="$(config_value DEVOPS_THEME_REPOSITORY)"
  if [ -n "$theme_repository" ]; then
    theme_ref="$(config_value DEVOPS_THEME_REF)"
    case "$theme_repository" in
      https://*) ;;
      *) die "DEVOPS_THEME_REPOSITORY of ci/tutor-build/config.yml is not an https:// URL: $theme_repository" ;;
    esac
    [ -n "$theme_ref" ] || die "DEVOPS_THEME_REF of ci/tutor-build/config.yml is empty: give a branch, tag or commit"
    theme_name="$(basename "${theme_repository%/}" .git)"
    [ ! -e "$themes_dir/$theme_name" ] ||
      die "ci/tutor-build/themes/$theme_name and the theme repository $theme_repository have the same name"
    log "adding theme $theme_name from $theme_repository"
    git_fetch "$theme_repository" "$theme_ref" "$themes_dir/$theme_name"
  fi
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
