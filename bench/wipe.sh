#!/usr/bin/env bash
# Erasure speed against the device's own limit and the usual peers, in one run.
#   bench/wipe.sh [SIZE_MIB [FILES]]   default 1024 MiB and 10000 files of 4 KiB
#   bench/wipe.sh --smoke              tiny sizes, for CI
#   FILES=0 skips the tree part, SIZE_MIB=0 the single-file part; ROUNDS=N (default 5)
#   repeats the single-file comparison and prints medians: on a virtual disk one read
#   of 1 GiB takes anywhere from 0.3 to 1.1 s, so one round proves little
# "ours" is the real CLI, `custody wipe --yes` (key unlock, record, signed ledger entry
# included) with a throw-away CUSTODY_HOME; "engine" is the library alone
# (examples/wipe_bench), printed for comparison. The CLI decrypts its key (scrypt, about
# 0.75 s of one core) in the background while it plans and hashes, and waits for it
# before the first overwrite; what the hashing does not cover, plus the record and the
# ledger entry, is paid once per run and dominates the --smoke sizes. The engine alone
# deletes the file like the CLI does: on a filesystem mounted with `discard`, freeing
# the blocks of a 1 GiB file waits about half a second for the device, which the dd
# baseline (no deletion) does not pay.
# Prints ratios (ours / peer; lower is better). Targets: 1 GiB file within 1.2x of
# dd + rm (write+fsync, plus one O_DIRECT read per read pass we do: the pre-erasure hash
# and the verification, plus removing the file); 10,000 small files within 2x of
# `rm -rf` + sync, and at least 3x faster than srm -r -ll and find -exec shred -u,
# verification included. The tree part also runs ROUNDS rounds (ours, engine and
# rm -rf interleaved; the slow peers once) and compares medians.
set -euo pipefail

SIZE_MIB=${SIZE_MIB:-1024}
FILES=${FILES:-10000}
ROUNDS=${ROUNDS:-5}
if [[ "${1:-}" == "--smoke" ]]; then
    SIZE_MIB=16
    FILES=200
    ROUNDS=1
elif [[ $# -ge 1 ]]; then
    SIZE_MIB=$1
    FILES=${2:-$FILES}
fi

here=$(cd "$(dirname "$0")/.." && pwd)
work=${WIPE_BENCH_DIR:-/var/tmp}/wipe-bench.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# BENCH_BIN_DIR=DIR takes `custody` and `wipe_bench` from DIR instead of building them
# (to compare two builds on the same machine at the same time).
if [[ -n "${BENCH_BIN_DIR:-}" ]]; then
    bin=$BENCH_BIN_DIR/wipe_bench
    custody=$BENCH_BIN_DIR/custody
else
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
    cargo build --quiet --release -p custody-cli -p custody-wipe --bin custody --example wipe_bench \
        --manifest-path "$here/Cargo.toml"
    bin=$CARGO_TARGET_DIR/release/examples/wipe_bench
    custody=$CARGO_TARGET_DIR/release/custody
fi

# A throw-away home: identity key, ledger and records of the bench runs.
export CUSTODY_HOME=$work/home
export CUSTODY_KEY_PASSPHRASE_FILE=$work/key-pass
export LANG=C.UTF-8
umask 077
echo "bench passphrase only" >"$CUSTODY_KEY_PASSPHRASE_FILE"
"$custody" init --org bench --name bench --key-passphrase-file "$CUSTODY_KEY_PASSPHRASE_FILE" \
    >/dev/null 2>"$work/init.err" || { cat "$work/init.err" >&2; exit 1; }
# Prints the CLI's JSON summary; fails the bench if the wipe did not erase everything.
ours() { "$custody" --json wipe --yes "$@"; }

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
# Drop this file's cached pages so every tool starts from the device, not the cache.
# One process for a whole tree where python3 is there (one dd per file takes seconds).
uncache() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c '
import os, sys
def drop(p):
    fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
for top in sys.argv[1:]:
    if os.path.isfile(top):
        drop(top)
    for d, _, fs in os.walk(top):
        for f in fs:
            drop(os.path.join(d, f))
' "$@"
    else
        find "$@" -type f -exec dd if={} iflag=nocache count=0 status=none \;
    fi
    sync
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

have() { command -v "$1" >/dev/null 2>&1; }

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

if [[ "$SIZE_MIB" -ne 0 ]]; then
echo "== one file of $SIZE_MIB MiB: random pass + full verification, $ROUNDS round(s), medians"
mk_big() { head -c "$((SIZE_MIB << 20))" /dev/urandom >"$1"; sync; uncache "$1"; }
# dd writes random bytes, like our pass: a device that compresses, deduplicates or
# unmaps zeros would make a zero pass cheaper than the work we are measured on. The
# source is read from memory, so dd pays no generation cost.
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$work/random.src"
cat "$work/random.src" >/dev/null
T_OURS=() T_ENGINE=() T_DD=() T_RM=() T_SHRED=()
for ((round = 1; round <= ROUNDS; round++)); do
    mk_big "$work/big.ours"
    t=$(now); ours "$work/big.ours" >"$work/ours.json"; T_OURS+=("$(elapsed "$t")")
    [[ $round -eq 1 ]] && { jq -c '{outcome, items, assurance, bytes_overwritten}' "$work/ours.json" 2>/dev/null || cat "$work/ours.json"; }

    mk_big "$work/big.engine"
    t=$(now); "$bin" "$work/big.engine" >"$work/engine.json"; T_ENGINE+=("$(elapsed "$t")")

    mk_big "$work/big.dd"
    # The same passes in the order a wipe needs them: the pre-erasure hash reads the old
    # contents before anything is written, the verification reads back what was written.
    t=$(now)
    dd if="$work/big.dd" of=/dev/null bs=1M iflag=direct status=none   # pre-erasure hash
    dd if="$work/random.src" of="$work/big.dd" bs=1M count="$SIZE_MIB" conv=notrunc,fsync status=none
    dd if="$work/big.dd" of=/dev/null bs=1M iflag=direct status=none   # verification
    T_DD+=("$(elapsed "$t")")
    # Removing the file, which a wipe must do and dd does not: on a filesystem mounted
    # with `discard` (or without a journal, where ext4 discards at once) freeing the
    # blocks waits for the device.
    t=$(now); rm -f "$work/big.dd"; sync; T_RM+=("$(elapsed "$t")")

    mk_big "$work/big.shred"
    t=$(now); shred -n1 "$work/big.shred"; sync; T_SHRED+=("$(elapsed "$t")")
    rm -f "$work"/big.*
    printf 'round %d: ours %.3fs  engine %.3fs  dd %.3fs  rm %.3fs  shred -n1 %.3fs\n' "$round" \
        "${T_OURS[-1]}" "${T_ENGINE[-1]}" "${T_DD[-1]}" "${T_RM[-1]}" "${T_SHRED[-1]}"
done
t_ours=$(median "${T_OURS[@]}") t_engine=$(median "${T_ENGINE[@]}") t_dd=$(median "${T_DD[@]}")
t_rm=$(median "${T_RM[@]}") t_shred=$(median "${T_SHRED[@]}")
t_ddrm=$(echo "$t_dd + $t_rm" | bc -l)
printf 'median: ours(cli) %.3fs  engine %.3fs  dd(direct read+write+fsync+direct read) %.3fs  rm+sync %.3fs  shred -n1 %.3fs\n' \
    "$t_ours" "$t_engine" "$t_dd" "$t_rm" "$t_shred"
echo "ratio ours/dd      = $(ratio "$t_ours" "$t_dd")"
echo "ratio ours/(dd+rm) = $(ratio "$t_ours" "$t_ddrm")   (target <= 1.2: the same work including removing the file)"
echo "ratio engine/dd    = $(ratio "$t_engine" "$t_dd")   (library alone, no key unlock or ledger)"
echo "ratio ours/shred   = $(ratio "$t_ours" "$t_shred")   (shred writes one pass, no hash, no verification)"
rm -f "$work/random.src"
fi

if [[ "$FILES" -eq 0 ]]; then exit 0; fi
echo "== $FILES files of 4 KiB in 100 directories, $ROUNDS round(s), medians"
# One template, copied whole for each tool: one cp instead of one per file.
mkdir -p "$work/tree.tmpl"
for ((i = 0; i < 100; i++)); do mkdir -p "$work/tree.tmpl/d$i"; done
head -c 4096 /dev/urandom >"$work/seed4k"
for ((i = 0; i < FILES; i++)); do cp "$work/seed4k" "$work/tree.tmpl/d$((i % 100))/f$i"; done
mk_tree() { cp -a "$work/tree.tmpl" "$1"; sync; uncache "$1"; }

T_OURS=() T_ENGINE=() T_RMRF=()
for ((round = 1; round <= ROUNDS; round++)); do
    mk_tree "$work/t.ours"
    t=$(now); ours "$work/t.ours" >"$work/ours.json"; T_OURS+=("$(elapsed "$t")")
    [[ $round -eq 1 ]] && { jq -c '{outcome, items, assurance, bytes_overwritten}' "$work/ours.json" 2>/dev/null || cat "$work/ours.json"; }

    mk_tree "$work/t.engine"
    t=$(now); "$bin" "$work/t.engine" >"$work/engine.json"; T_ENGINE+=("$(elapsed "$t")")

    # Removing the names only, made durable: the floor for any erasure of the tree.
    mk_tree "$work/t.rm"
    t=$(now); rm -rf "$work/t.rm"; sync; T_RMRF+=("$(elapsed "$t")")
    printf 'round %d: ours %.3fs  engine %.3fs  rm -rf+sync %.3fs\n' "$round" \
        "${T_OURS[-1]}" "${T_ENGINE[-1]}" "${T_RMRF[-1]}"
done
t_ours=$(median "${T_OURS[@]}") t_engine=$(median "${T_ENGINE[@]}") t_rmrf=$(median "${T_RMRF[@]}")

results="median: ours(cli) $(printf '%.3f' "$t_ours")s  engine $(printf '%.3f' "$t_engine")s  rm -rf+sync $(printf '%.3f' "$t_rmrf")s"
if have srm; then
    mk_tree "$work/t.srm"
    t=$(now); srm -r -ll "$work/t.srm"; sync; t_srm=$(elapsed "$t")
    results+="  srm -r -ll $(printf '%.3f' "$t_srm")s"
fi
mk_tree "$work/t.shred"
t=$(now); find "$work/t.shred" -type f -exec shred -u {} + ; rm -r "$work/t.shred"; sync; t_fshred=$(elapsed "$t")
results+="  find -exec shred -u $(printf '%.3f' "$t_fshred")s"
mk_tree "$work/t.shred1"
t=$(now); find "$work/t.shred1" -type f -exec shred -n1 -u {} + ; rm -r "$work/t.shred1"; sync; t_fshred1=$(elapsed "$t")
results+="  find -exec shred -n1 -u $(printf '%.3f' "$t_fshred1")s"
echo "$results"
echo "ratio ours/(rm -rf+sync)    = $(ratio "$t_ours" "$t_rmrf")   (target <= 2: names only, nothing overwritten or verified)"
echo "ratio engine/(rm -rf+sync)  = $(ratio "$t_engine" "$t_rmrf")   (library alone, no key unlock or ledger)"
[[ -n "${t_srm:-}" ]] && echo "speedup srm/ours            = $(ratio "$t_srm" "$t_ours")x   (target >= 3)"
echo "speedup shred -u/ours       = $(ratio "$t_fshred" "$t_ours")x   (target >= 3; shred default 3 passes)"
echo "speedup shred -n1 -u/ours   = $(ratio "$t_fshred1" "$t_ours")x   (same pass count as ours)"
echo "ledger: $("$custody" --json ledger verify >/dev/null && echo verified || echo "VERIFY FAILED") ($(wc -l <"$CUSTODY_HOME/ledger.jsonl") entries)"
