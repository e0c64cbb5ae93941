#!/usr/bin/env bash
# Verification benchmarks.
#   chain_bench: an issuer's chain of 1,000 certificates verified in full (strict
#   parsing of each, every prev_cert link and sequence number, every minisign
#   signature); target < 0.5 s.
#
# usage: bench/verify.sh [--smoke]      (--smoke = 100 certificates, prints only)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=1000
if [[ "${1:-}" == "--smoke" ]]; then n=100; fi
cd "$here"
cargo run --quiet --release -p custody-certificate --example chain_bench -- "$n"
