#!/usr/bin/env bash
# Seal/open throughput of custody-seal against its peers, measured in the same run:
#   tar c | age -p            (the like-for-like peer: a passphrase file with scrypt at
#                              work factor 18, as ours; the passphrase is typed at age's
#                              prompt through a pty by tests/support/age_pty.py)
#   ... + sync                (our seal fsyncs before it reports success)
#   tar c | age -r <X25519>   (no key derivation at all: same bulk cipher, ~0.6 s less)
#   tar c | rage -r <X25519>  (if rage is on PATH; rage -p picks its own work factor)
#   seal_bench seal           (custody-seal: tar + SHA-256 of every file + age scrypt
#                              + SHA-256 of the ciphertext + fsync + label)
#   seal_bench seal-null      (the same into a discarding writer: the crate's CPU cost)
# and the reverse: age -d (passphrase, and X25519) | tar x, against seal_bench open,
# which also verifies the label, every file's SHA-256 and the manifest, then syncs.
# On a 2-core VM the disk's writeback competes with the CPU work, so the "+sync" lines
# are the honest comparison for anything that must be durable.
#
# usage: bench/seal.sh [--smoke | SIZE_MIB]     (default 1024 MiB; --smoke = 64 MiB, one run)
# Prints the best of RUNS (default 3) wall times, throughput, ratio ours / peer, peak RSS.
set -euo pipefail

size_mib=1024
runs=${RUNS:-3}
if [[ "${1:-}" == "--smoke" ]]; then size_mib=64 runs=${RUNS:-1}; elif [[ -n "${1:-}" ]]; then size_mib=$1; fi
small_files=2000
small_size=4096

here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
work=$(mktemp -d "${BENCH_DIR:-/tmp}/custody-seal-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# BENCH_BIN_DIR=DIR takes seal_bench from DIR instead of building it (CI's smoke run
# uses the test build's, so that it compiles nothing of its own).
if [[ -n "${BENCH_BIN_DIR:-}" ]]; then
    bench_bin=$BENCH_BIN_DIR/seal_bench
else
    echo "building seal_bench (release)..." >&2
    CARGO_TARGET_DIR=$target cargo build --quiet --release -p custody-seal --example seal_bench \
        --manifest-path "$here/Cargo.toml"
    bench_bin=$target/release/examples/seal_bench
fi

# The tree: four big files carrying most of the bytes, plus many small ones.
src=$work/src
mkdir -p "$src/small"
big_mib=$(( (size_mib * 1024 * 1024 - small_files * small_size) / 4 / 1048576 ))
for i in 1 2 3 4; do
    head -c "$((big_mib * 1048576))" /dev/urandom > "$src/big$i.bin"
done
head -c "$((small_files * small_size))" /dev/urandom > "$work/smallpool"
for ((i = 0; i < small_files; i++)); do
    dd if="$work/smallpool" of="$src/small/f$i.dat" bs=$small_size skip=$i count=1 status=none
done
rm "$work/smallpool"
total=$(du -sb "$src" | cut -f1)
cat "$src"/big*.bin "$src"/small/* > /dev/null   # warm the page cache for every run alike

printf 'CUSTODY-BENCH-%s\n' "$RANDOM$RANDOM" > "$work/pass"
age-keygen -o "$work/key" 2> /dev/null
recip=$(age-keygen -y "$work/key")

have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# best_of NAME CLEANUP CMD: runs CMD $runs times, prints best seconds and peak RSS KiB.
best_of() {
    local name=$1 cleanup=$2 cmd=$3 best="" rss=0 t0 t1 dt r
    for ((k = 0; k < runs; k++)); do
        eval "$cleanup"
        t0=$(date +%s.%N)
        if ((have_time)); then
            /usr/bin/time -f '%M' -o "$work/rss" bash -c "$cmd" > /dev/null
            r=$(tail -1 "$work/rss")
            ((r > rss)) && rss=$r
        else
            bash -c "$cmd" > /dev/null
        fi
        t1=$(date +%s.%N)
        dt=$(echo "$t1 - $t0" | bc -l)
        if [[ -z "$best" ]] || (($(echo "$dt < $best" | bc -l))); then best=$dt; fi
    done
    printf '%s %s %s\n' "$name" "$best" "$rss"
}

out=$work/out
mkdir -p "$out"
results=()
agepty="python3 $here/tests/support/age_pty.py $work/pass"
results+=("$(best_of "tar|age-p" "rm -f $out/*" "tar c -C $src . | $agepty age -p -o $out/peer.age")")
# We fsync the payload before reporting success; so must a fair peer.
results+=("$(best_of "tar|age-p+sync" "rm -f $out/*" "tar c -C $src . | $agepty age -p -o $out/peer.age && sync $out/peer.age")")
results+=("$(best_of "tar|age" "rm -f $out/*" "tar c -C $src . | age -r $recip > $out/peer.age")")
if command -v rage > /dev/null; then
    results+=("$(best_of "tar|rage" "rm -f $out/*" "tar c -C $src . | rage -r $recip > $out/peer.age")")
else
    echo "rage: not installed, skipped" >&2
fi
results+=("$(best_of "custody-seal" "rm -f $out/*" "$bench_bin seal $src $out $work/pass")")
# The crate alone: same seal into a discarding writer (no media write, no fsync).
results+=("$(best_of "seal-to-null" "true" "$bench_bin seal-null $src - $work/pass")")
# Keep one of each for the open direction.
rm -f "$out"/*
tar c -C "$src" . | age -r "$recip" > "$work/peer.age"
tar c -C "$src" . | $agepty age -p -o "$work/peer-p.age"
payload=$("$bench_bin" seal "$src" "$out" "$work/pass" | cut -d' ' -f1)
# Each extraction is moved aside, not deleted, until the end: ext4 without a journal
# skips inodes freed in the last seconds, and creating 2,000 files right after deleting
# 2,000 costs whoever runs next a third more CPU (measured), which is noise, not speed.
aside="mkdir -p $work/old; [ -e $work/x ] && mv $work/x $work/old/\$(date +%s%N) || true"
results+=("$(best_of "age-d-p|tar-x" "$aside; mkdir $work/x" "$agepty age -d $work/peer-p.age | tar x -C $work/x")")
results+=("$(best_of "age-d-p|tar-x+sync" "$aside; mkdir $work/x" "$agepty age -d $work/peer-p.age | tar x -C $work/x && sync -f $work/x")")
results+=("$(best_of "age-d|tar-x" "$aside; mkdir $work/x" "age -d -i $work/key $work/peer.age | tar x -C $work/x")")
results+=("$(best_of "custody-open" "$aside" "$bench_bin open $payload $work/x $work/pass")")

echo
printf 'tree: %d bytes (%d MiB), 4 big files + %d small files; best of %d runs\n' \
    "$total" "$((total / 1048576))" "$small_files" "$runs"
printf '%-20s %9s %10s %12s\n' what seconds MiB/s peakRSS_KiB
declare -A secs
for line in "${results[@]}"; do
    read -r name s rss <<< "$line"
    secs[$name]=$s
    printf '%-20s %9.3f %10.1f %12s\n' "$name" "$s" "$(echo "$total / 1048576 / $s" | bc -l)" "$rss"
done
echo
r() { echo "${secs[$1]} / ${secs[$2]}" | bc -l; }
printf 'ratio seal  custody-seal / tar|age-p           = %.2f  (time; < 1 means we are faster)\n' "$(r custody-seal 'tar|age-p')"
printf 'ratio seal  custody-seal / tar|age-p+sync      = %.2f\n' "$(r custody-seal 'tar|age-p+sync')"
printf 'ratio seal  custody-seal / tar|age (X25519)    = %.2f\n' "$(r custody-seal 'tar|age')"
if [[ -n "${secs[tar|rage]:-}" ]]; then
    printf 'ratio seal  custody-seal / tar|rage (X25519)   = %.2f\n' "$(r custody-seal 'tar|rage')"
fi
printf 'ratio open  custody-open / age-d-p|tar-x       = %.2f\n' "$(r custody-open 'age-d-p|tar-x')"
printf 'ratio open  custody-open / age-d-p|tar-x+sync  = %.2f\n' "$(r custody-open 'age-d-p|tar-x+sync')"
printf 'ratio open  custody-open / age-d|tar-x (X25519) = %.2f\n' "$(r custody-open 'age-d|tar-x')"
