#!/bin/sh
# check-ledger.sh LEDGER PUBKEY: checks the chain and the signature of every line of a
# custody ledger with stock tools only (POSIX sh, sed, base64, sha256sum, OpenSSL 3).
# See docs/stock-tools.md for what it checks and what only `custody ledger verify` does.
set -eu
ledger=$1 pub=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ "$(tail -c 1 "$ledger" | wc -l)" -eq 1 ] || { echo "last line torn (no newline)"; exit 1; }
# The public key is the last 32 bytes of the .pub file's second line; behind this fixed
# 12-byte DER prefix it is an Ed25519 key OpenSSL reads.
{ printf '\060\052\060\005\006\003\053\145\160\003\041\000'
  sed -n 2p "$pub" | base64 -d | tail -c 32; } > "$work/key.der"
openssl pkey -pubin -inform DER -in "$work/key.der" -out "$work/key.pem"
# A line ends with these keys in this order (JCS sorts them; "body" comes before), so
# anchoring at the end of the line finds the top-level ones, never a key inside "body".
end='"prev":"([0-9a-f]{64})","seq":([0-9]+),"sig":"([A-Za-z0-9+/=]{88})","time":"([^"]+)","v":1}$'
prev=0000000000000000000000000000000000000000000000000000000000000000
n=0
while IFS= read -r line; do
  fields=$(printf '%s' "$line" | sed -nE "s#^.*,$end#\\1 \\2 \\3#p")
  set -- $fields
  [ "$#" -eq 3 ] || { echo "line $((n + 1)): not a ledger line"; exit 1; }
  [ "$1" = "$prev" ] && [ "$2" = "$n" ] || { echo "line $((n + 1)): breaks the chain"; exit 1; }
  printf '%s' "$3" | base64 -d > "$work/sig.bin"
  # The signed bytes are the line without its "sig" member.
  printf '%s' "$line" | sed -E 's#("seq":[0-9]+,)"sig":"[A-Za-z0-9+/=]{88}",("time":"[^"]+","v":1})$#\1\2#' > "$work/signed.bin"
  openssl pkeyutl -verify -pubin -inkey "$work/key.pem" -rawin -in "$work/signed.bin" -sigfile "$work/sig.bin" \
    > /dev/null || { echo "line $((n + 1)): signature does not verify"; exit 1; }
  # The leaf hash, SHA-256(0x00 ‖ line), is what the next line's "prev" must be.
  prev=$({ printf '\0'; printf '%s' "$line"; } | sha256sum | cut -c 1-64)
  n=$((n + 1))
done < "$ledger"
echo "ok: $n lines; leaf hash of the last: $prev"
