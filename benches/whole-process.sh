#!/usr/bin/env bash
# Whole-process benchmark of openedx-devops, side by side in one run (ratios, not absolute times):
#   new vs `cp -r` of the tree it produces; check; update --check (up to date); update after an
#   answer change; time per environment (1, 5, 20); peak memory; binary size. Optionally
#   cookiecutter on the template we replace, when COOKIECUTTER_TEMPLATE names a checkout of it.
# Usage: benches/whole-process.sh [RUNS]   (needs hyperfine and GNU time: apt-get install hyperfine time)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y hyperfine time" >&2; exit 2; }
done
cargo build --release --quiet
bin="$PWD/target/release/openedx-devops"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# Answers: the fullest example, and the demo with 1, 5 and 20 environments.
cp "$OLDPWD/examples/full.yml" full.yml
envs_answers() {
  local count="$1" file="envs-$1.yml"
  printf 'platform_name: bench\nroot_domain: bench.example\naws_region: us-east-1\naws_account_id: "123456789012"\nenvironments:\n' >"$file"
  for index in $(seq 1 "$count"); do
    printf '  - name: env%s\n    subdomain: env%s.courses\n' "$index" "$index" >>"$file"
  done
}
for count in 1 5 20; do envs_answers "$count"; done

"$bin" new reference --answers full.yml >/dev/null
files=$(find reference -type f | wc -l)
bytes=$(du -sb reference | cut -f1)
json() { hyperfine --runs "$runs" --warmup 3 --style none --export-json "$1.json" "${@:2}" >/dev/null; }
median() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][${2:-0}]['median'])" "$1.json"; }

# new and cp -r alternate run by run (not one series after the other), so that drift in this
# machine's disk speed hits both alike; medians are written in hyperfine's JSON shape.
python3 - "$bin" "$runs" <<'PY'
import json, shutil, statistics, subprocess, sys, time
bin, runs = sys.argv[1], int(sys.argv[2])
commands = [[bin, "new", "out", "--answers", "full.yml"], ["cp", "-r", "reference", "out"]]
times = [[], []]
for round in range(runs + 3):
    for index, command in enumerate(commands):
        shutil.rmtree("out", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        if round >= 3:
            times[index].append(time.perf_counter() - start)
json.dump({"results": [{"median": statistics.median(t)} for t in times]}, open("new-vs-cp.json", "w"))
PY
json check "$bin check reference"
json update-check "$bin update reference --check"
cp -r reference changed
json update-change \
  --prepare "rm -rf changed && cp -r reference changed" \
  "$bin update changed --set environments.0.eks_instance_type=m7i.2xlarge"
for count in 1 5 20; do
  json "envs-$count" --prepare 'rm -rf out' "$bin new out --answers envs-$count.yml"
done

peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
rm -rf out; mem_new_full=$(peak "$bin" new out --answers full.yml)
rm -rf out; mem_new_20=$(peak "$bin" new out --answers envs-20.yml)
mem_check=$(peak "$bin" check reference || true)

new=$(median new-vs-cp 0); cp=$(median new-vs-cp 1)
ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
ms() { python3 -c "print(f'{float(\"$1\")*1000:.1f}')"; }
echo "## Whole-process benchmark ($(nproc) cores, $(uname -m), median of $runs runs)"
echo
echo "Fullest example (examples/full.yml): $files files, $bytes bytes. Binary: $(stat -c %s "$bin") bytes."
echo
echo "| what | median ms | ratio |"
echo "| --- | ---: | ---: |"
echo "| \`cp -r\` of the generated tree (the floor) | $(ms "$cp") | 1.00 |"
echo "| \`new\` | $(ms "$new") | $(ratio "$new" "$cp") x cp |"
echo "| \`check\` | $(ms "$(median check)") | $(ratio "$(median check)" "$new") x new |"
echo "| \`update --check\`, up to date | $(ms "$(median update-check)") | $(ratio "$(median update-check)" "$new") x new |"
echo "| \`update\` after an answer change | $(ms "$(median update-change)") | $(ratio "$(median update-change)" "$new") x new |"
one=$(median envs-1)
for count in 1 5 20; do
  m=$(median "envs-$count")
  echo "| \`new\`, $count environment(s) | $(ms "$m") | $(ratio "$m" "$one") x 1 env |"
done
echo
echo "Peak memory (max RSS): new full.yml $mem_new_full KiB, new 20 environments $mem_new_20 KiB, check $mem_check KiB."

if [ -n "${COOKIECUTTER_TEMPLATE:-}" ]; then
  python3 -m venv cc-venv >/dev/null && cc-venv/bin/pip install -q cookiecutter
  # Interleaved too: cookiecutter, new and cp -r of new's tree, round after round.
  python3 - "$bin" "$runs" "$COOKIECUTTER_TEMPLATE" <<'PY'
import shutil, statistics, subprocess, sys, time
bin, runs, template = sys.argv[1], int(sys.argv[2]), sys.argv[3]
commands = {
    "cookiecutter": (["cc-venv/bin/cookiecutter", "--no-input", "-o", "cc-out", template], "cc-out"),
    "new": ([bin, "new", "out", "--answers", "full.yml"], "out"),
    "cp -r": (["cp", "-r", "reference", "out"], "out"),
}
times = {name: [] for name in commands}
for round in range(runs + 2):
    for name, (command, output) in commands.items():
        shutil.rmtree(output, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if round >= 2:
            times[name].append(time.perf_counter() - start)
median = {name: statistics.median(values) * 1000 for name, values in times.items()}
print()
print(f"cookiecutter --no-input on the template we replace: {median['cookiecutter']:.1f} ms; "
      f"new: {median['new']:.1f} ms ({median['cookiecutter'] / median['new']:.1f} x faster); "
      f"cp -r of new's tree: {median['cp -r']:.1f} ms (interleaved, median of {runs}).")
PY
fi
