#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets) for a bounded time from its committed corpus; any
# crash, hang or memory blow-up fails. cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP lets the
# stable toolchain accept them. Usage: .ci/fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../fuzz"
seconds="${1:-30}"
export RUSTC_BOOTSTRAP=1
if ! command -v cargo-fuzz >/dev/null; then
  cargo install --locked --quiet cargo-fuzz
fi
for target in answers readers merge record; do
  mkdir -p "corpus/$target"
  # A scratch copy: what the fuzzer adds to the corpus is not committed.
  scratch="$(mktemp -d)"
  cp -r "corpus/$target/." "$scratch/"
  echo "fuzz $target for ${seconds}s"
  cargo fuzz run -O "$target" "$scratch" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 2>&1 | tail -4
  rm -rf "$scratch"
done
