#!/usr/bin/env bash
# Installs openedx-devops at the version this repository was last generated or updated with (the
# "version" of .openedx-devops/manifest.json) into the current Python environment, and checks that
# the installed command is that version. The pull-request workflow runs it; so can you (in a
# virtualenv):
#
#   scripts/install-openedx-devops.sh
#
# From PyPI (`openedx-devops==VERSION`) unless OPENEDX_DEVOPS_SOURCE says where else, e.g. while
# that version is not on PyPI, or for a fork or an internal mirror (in GitHub: a repository
# variable of that name, which the pull-request workflow passes on):
#   git+https://github.com/OWNER/openedx-devops   the generator's git repository: pip builds its
#                                                 tag vVERSION from source (needs cargo, which
#                                                 GitHub's runners have)
#   https://host/path/ or a local directory       a page or folder of wheels (pip --find-links)
set -euo pipefail

manifest=.openedx-devops/manifest.json
python="${PYTHON:-python3}"
die() { echo "::error file=$manifest::$*" >&2; exit 1; }

[ -f "$manifest" ] || die "no $manifest: run this script from the repository's root"
# The whole value must be a version before pip sees it (a pull request can write anything there).
version="$("$python" -c 'import json, re, sys
v = json.load(open(sys.argv[1])).get("version")
if isinstance(v, str) and re.fullmatch(r"[0-9]+(\.[0-9]+)*([-.]?[a-z]+\.?[0-9]*)?", v):
    print(v)' "$manifest")" || die "$manifest is not JSON"
[ -n "$version" ] || die "\"version\" of $manifest is not a version"

source="${OPENEDX_DEVOPS_SOURCE:-}"
case "$source" in
  "") args=("openedx-devops==$version") ;;
  git+https://* | git+ssh://* | git+file://*) args=("openedx-devops @ $source@v$version") ;;
  git+*) die "OPENEDX_DEVOPS_SOURCE=$source: a git source is git+https://, git+ssh:// or git+file://" ;;
  *) args=(--find-links "$source" "openedx-devops==$version") ;;
esac

echo "install-openedx-devops: pip install ${args[*]}" >&2
if ! "$python" -m pip install --disable-pip-version-check --quiet "${args[@]}"; then
  if [ -z "$source" ]; then
    die "openedx-devops $version is not installable from PyPI (not published there yet?): set OPENEDX_DEVOPS_SOURCE (in GitHub, a repository variable) to the generator's git repository, git+https://github.com/OWNER/openedx-devops, or to a folder of its wheels"
  fi
  die "openedx-devops $version is not installable from $source"
fi

# The command just installed (in this Python's scripts folder) and the one on PATH must both be the
# manifest's version.
scripts="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
for command in "$scripts/openedx-devops" openedx-devops; do
  installed="$("$command" --version)" || die "$command does not run"
  [ "$installed" = "openedx-devops $version" ] ||
    die "$command says '$installed', the manifest $version (is another openedx-devops earlier on PATH?)"
done
echo "install-openedx-devops: $installed" >&2
