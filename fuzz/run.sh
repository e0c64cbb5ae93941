#!/usr/bin/env bash
# Runs the fuzz targets with libFuzzer on the stable toolchain (coverage through
# sanitizer-coverage passes, as cargo-fuzz does; AddressSanitizer is nightly-only and
# not needed for safe Rust).
#
#   fuzz/run.sh                 every target for 5 minutes each
#   fuzz/run.sh --smoke         every target for 2 seconds, built with less optimisation (CI)
#   fuzz/run.sh --build-only    build the targets (with --smoke: the smoke build), run nothing
#   fuzz/run.sh TARGET [SECS]   one target
#
# Seeds live in fuzz/seeds/<target> (committed); the growing corpus in
# fuzz/corpus/<target> and crashes in fuzz/artifacts/<target> (not committed).
set -euo pipefail
cd "$(dirname "$0")"
secs=300
profile=release
build_only=0
targets=()
for a in "$@"; do
  case "$a" in
    --smoke) secs=2 profile=smoke ;;
    --build-only) build_only=1 ;;
    [0-9]*) secs=$a ;;
    *) targets+=("$a") ;;
  esac
done
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^custody-fuzz$')
fi
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros, which
# must not be instrumented (they are not linked with libFuzzer).
host=$(rustc -vV | sed -n 's/^host: //p')
cargo build --profile "$profile" --quiet --bins --target "$host"
bins=${CARGO_TARGET_DIR:-target}/$host/$profile
[ "$build_only" -eq 1 ] && exit 0
failed=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  echo "fuzz: $t for ${secs}s"
  if ! "$bins/$t" "corpus/$t" "${seeds[@]}" -max_total_time="$secs" -artifact_prefix="artifacts/$t/" \
      -print_final_stats=1 2> "artifacts/$t.log"; then
    echo "fuzz: $t FAILED; see fuzz/artifacts/$t.log and fuzz/artifacts/$t/" >&2
    tail -30 "artifacts/$t.log" >&2
    failed=1
  else
    grep -E 'stat::number_of_executed_units' "artifacts/$t.log" | sed "s/^/  $t /" || true
  fi
done
exit $failed
