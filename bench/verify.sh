#!/usr/bin/env bash
# Verification speed of what the ward and the auditor check, against this machine's
# Ed25519 limit, measured in the same run:
#
#   ledger     custody_ledger::verify of an N-entry ledger (default 100,000 typed
#              entries: every line's form, chain, Ed25519 signature and body), against
#              the Ed25519 verification limit for the same N signatures over the same
#              signed bytes: ed25519-dalek verify_strict one by one (what we call), its
#              batch verification, and `openssl speed ed25519` (if openssl is there).
#              Target: ledger / verify_strict <= 1.3x.
#   consistency  the ward's check that the ledger extends a checkpoint of half its size:
#              leaf hashes of every line, the RFC 6962 proof, its verification.
#              Target: < 1 s for 100,000 entries.
#   certificates  an issuer's chain of 1,000 certificates verified in full (strict
#              parsing, every prev_cert link and sequence number, every minisign
#              signature): crates/custody-certificate/examples/chain_bench.rs. Target < 0.5 s.
#
# usage: bench/verify.sh [--smoke | N]      (--smoke = 2,000 entries, for CI; prints only)
# Prints the best of RUNS (default 3) wall times and the ratios.
set -euo pipefail

n=100000
if [[ "${1:-}" == "--smoke" ]]; then n=2000; elif [[ -n "${1:-}" ]]; then n=$1; fi
runs=${RUNS:-3}

here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/custody-verify-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# BENCH_BIN_DIR=DIR takes verify_bench and chain_bench from DIR instead of building
# them (CI's smoke run uses the test build's, so that it compiles nothing of its own).
if [[ -n "${BENCH_BIN_DIR:-}" ]]; then
    bench=$BENCH_BIN_DIR/verify_bench
    chain=$BENCH_BIN_DIR/chain_bench
else
    echo "building verify_bench and chain_bench (release)..." >&2
    CARGO_TARGET_DIR=$target cargo build --quiet --release -p custody-ledger --example verify_bench \
        -p custody-certificate --example chain_bench --manifest-path "$here/Cargo.toml"
    bench=$target/release/examples/verify_bench
    chain=$target/release/examples/chain_bench
fi

ledger=$work/ledger.jsonl
echo "writing a ledger of $n signed entries..." >&2
"$bench" make "$n" "$ledger"
echo "ledger: $n entries, $(du -h "$ledger" | cut -f1)"

# best MODE ARGS...: the smallest first field printed by verify_bench over $runs runs.
best() {
    local b="" t
    for ((r = 0; r < runs; r++)); do
        t=$("$bench" "$@" | cut -d' ' -f1)
        if [[ -z "$b" ]] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
    done
    echo "$b"
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }

ours=$(best verify "$ledger")
single="" batch=""
for ((r = 0; r < runs; r++)); do
    read -r s b _ < <("$bench" dalek "$ledger")
    if [[ -z "$single" ]] || awk "BEGIN{exit !($s < $single)}"; then single=$s; fi
    if [[ -z "$batch" ]] || awk "BEGIN{exit !($b < $batch)}"; then batch=$b; fi
done

printf '\n%-46s %9s %12s %8s\n' "ledger verification ($n signatures)" "seconds" "entries/s" "ours/x"
printf '%-46s %9s %12.0f %8s\n' "custody ledger verify (everything)" "$ours" "$(awk "BEGIN{print $n / $ours}")" "1.00"
printf '%-46s %9s %12.0f %8s\n' "ed25519-dalek verify_strict (one by one)" "$single" "$(awk "BEGIN{print $n / $single}")" "$(ratio "$ours" "$single")"
printf '%-46s %9s %12.0f %8s\n' "ed25519-dalek batch verification" "$batch" "$(awk "BEGIN{print $n / $batch}")" "$(ratio "$ours" "$batch")"
if command -v openssl > /dev/null; then
    # "verify/s" of `openssl speed ed25519`, one core, 3 seconds.
    ossl=$(openssl speed -seconds 3 ed25519 2> /dev/null | awk '/\(Ed25519\)/{print $NF}' | tail -1)
    if [[ -n "$ossl" ]]; then
        ossl_s=$(awk "BEGIN{printf \"%.3f\", $n / $ossl}")
        printf '%-46s %9s %12.0f %8s\n' "openssl speed ed25519 (verify, same count)" "$ossl_s" "$ossl" "$(ratio "$ours" "$ossl_s")"
    fi
else
    echo "(openssl not installed: its line is skipped)"
fi
echo "target: ours / verify_strict <= 1.3"

cons=$(best consistency "$ledger" $((n / 2)))
printf '\n%-46s %9s %8s\n' "checkpoint consistency ($((n / 2)) -> $n)" "seconds" "target"
printf '%-46s %9s %8s\n' "leaves + RFC 6962 proof + verification" "$cons" "< 1 s"

certs=1000
if [[ "${1:-}" == "--smoke" ]]; then certs=100; fi
chain_best=""
for ((r = 0; r < runs; r++)); do
    t=$("$chain" "$certs" | sed -n 's/.*: \([0-9.]*\) s .*/\1/p')
    if [[ -z "$chain_best" ]] || awk "BEGIN{exit !($t < $chain_best)}"; then chain_best=$t; fi
done
printf '\n%-46s %9s %8s\n' "certificate chain ($certs certificates)" "seconds" "target"
printf '%-46s %9s %8s\n' "parse + prev_cert links + minisign signatures" "$chain_best" "< 0.5 s"
