# The command line itself (help, parse errors, completions, man pages), the words the
# CLI puts around library values, and the errors of the libraries that had no message
# of their own. Keep the ids in the same order in ja and en.

# clap's own words in the help.
help-heading-usage = Usage:
help-heading-options = Options
help-heading-arguments = Arguments
help-heading-commands = Commands
help-heading-global = Options of every command
help-value-command = COMMAND
help-usage-options = [OPTIONS]
help-help = Print help
help-version = Print version
help-quiet = Print only errors and the final result (no narration, no progress bar)
help-completions = Print a shell completion script (generated from the command definitions)
help-completions-shell = The shell: bash, zsh, fish or powershell
help-man = Write man pages for custody and each of its commands into a folder
help-man-out = The folder to write to (created if missing; existing pages are never replaced)

# Command-line mistakes (exit code 2).
err-unknown-argument = There is no argument “{ $arg }”.
    .hint = See `{ $usage }` for how to use it.
err-unknown-command = There is no command “{ $command }”.
    .hint = See `{ $usage }` for the list of commands.
err-missing-argument = A required argument is missing: { $arg }
    .hint = See `{ $usage }` for how to use it.
err-missing-command = Name a command.
    .hint = See `{ $usage }` for the list of commands.
err-invalid-value = “{ $value }” is not a valid value for { $arg }.
    .hint = See `{ $usage }` for how to use it.
err-argument-conflict = { $arg } and { $other } cannot be used together.
    .hint = Give only one of them.
err-wrong-number-of-values = { $arg } has the wrong number of values.
    .hint = See `{ $usage }` for how to use it.
err-usage = The command line is not valid.
    .hint = See `{ $usage }` for how to use it.
parse-valid-values = Valid values: { $valid }
parse-did-you-mean = Did you mean { $suggestion }?

man-written = Wrote { $count } man pages to { $dir }.

# Which passphrase a prompt could not ask for.
passphrase-kind-key = key
passphrase-kind-payload = payload

# How a wipe ended, and the kinds of ledger entries, in sentences.
outcome-all-erased = all erased
outcome-some-failed = some could not be erased
outcome-interrupted = interrupted
ledger-kind-init = set-up
ledger-kind-sealed = sealed
ledger-kind-opened = opened
list-separator = { ", " }
ledger-kind-erased = erased

# Overwrite methods and verification modes, as the wipe summary names them.
method-random = one pass of random data
method-zero = one pass of zeros
method-nist-clear = NIST Clear (one pass)
method-dod-3 = DoD 5220.22-M (three passes)
method-vsitr = VSITR (seven passes)
verify-full = read everything back
verify-sample = read samples back
verify-none = no read-back

# Keys and signatures.
err-key-malformed = The key or signature file is not well formed ({ $what }).
    .hint = Give a public key (.pub) written by custody key export, or a minisign signature file.
err-key-algorithm = The key or signature uses an algorithm custody does not accept ({ $field }: { $found }).
    .hint = Only Ed25519 keys and signatures made by custody or minisign can be used.
err-key-not-encrypted = The secret key is not protected by a passphrase.
    .hint = custody does not use secret keys without a passphrase. Use the key made by custody init.
err-key-kdf-too-expensive = The secret key asks for more memory and time than can safely be allowed.
    .hint = This key file cannot be used. Ask the key's owner.
err-key-id-mismatch = The signature was made by key { $found }, not by the key given ({ $expected }).
    .hint = Check that you gave the other party's right public key.
err-bad-signature = The signature does not verify: the content or the signature was changed, or another key signed it.
    .hint = Keep the files as they are and report this to the person responsible.
err-bad-comment = A signature comment is longer than one line of { $max } bytes, or has a line break.
    .hint = Shorten the contract, organisation or other text and run the command again.
err-key-io = Could not read the key or the data being signed: { $detail }
    .hint = Check that the file exists and that you may read it.

# The ledger.
err-ledger-exists = There is already a ledger at { $path }.
    .hint = Keep the existing ledger as it is; create a new home elsewhere (--home).
err-ledger-not-a-file = The ledger { $path } is not a regular file.
    .hint = Nothing was changed. Ask the person responsible to check the home folder.
err-ledger-torn-tail = The last line of the ledger { $path } (line { $line }) is damaged: { $detail }. Nothing was appended.
    .hint = Keep the ledger as it is and report this to the person responsible. Do not edit it by hand.
err-ledger-bad-entry = custody tried to write an entry the ledger does not accept ({ $detail }). Nothing was appended.
    .hint = This is a defect in custody. Please report it with the command you ran.
err-ledger-line-too-long = The ledger entry would be { $len } bytes, over the { $max }-byte line limit. Nothing was appended.
    .hint = Shorten the data categories, contract or other text and run the command again.
err-ledger-clock = This PC's clock ({ $time }) is earlier than the ledger's last entry ({ $previous }). Nothing was appended.
    .hint = Set the PC's date and time correctly, then run the command again.
err-ledger-short-write = Writing to the ledger { $path } stopped part way.
    .hint = Check the free space, check the ledger with custody ledger verify, then run the command again.
err-proof-index = Entry { $index } is not in a ledger of { $size } entries.
    .hint = Give an entry number within the ledger's size.
err-proof-sizes = No consistency proof can be made from { $old } to { $new } entries.
    .hint = Check that the old size is not larger than the new one.
err-checkpoint-malformed = The checkpoint is not well formed.
    .hint = Give the checkpoint file exactly as you received it.
err-note-malformed = The signed note is not well formed.
    .hint = Give the file exactly as you received it.
err-verifier-key-malformed = The note verifier key is not well formed.
    .hint = Give the verifier key exactly as the other party gave it.
err-note-bad-signature = The note's signature by { $name } does not verify.
    .hint = Keep the files as they are and report this to the person responsible.
err-note-not-verified = The note carries no signature by a key you trust.
    .hint = Check that you gave the other party's right public key.

ledger-problem-torn-line = the line does not end with a line break (a write may have stopped part way)
ledger-problem-line-too-long = the line is too long
ledger-problem-not-utf8 = the line is not UTF-8
ledger-problem-not-json = the line is not JSON
ledger-problem-not-an-object = the line is not a JSON object
ledger-problem-duplicate-key = the key “{ $key }” appears twice
ledger-problem-not-canonical = the line is not in canonical (RFC 8785) form
ledger-problem-missing-key = the key “{ $key }” is missing
ledger-problem-unexpected-key = unexpected key “{ $key }”
ledger-problem-bad-number = the number at { $key } is out of range or not an integer
ledger-problem-bad-version = unsupported format version
ledger-problem-bad-field = the field “{ $key }” has the wrong type or form
ledger-problem-bad-kind = the entry kind is not a valid name
ledger-problem-seq = the sequence number is { $found }, expected { $expected }
ledger-problem-prev = it does not match the hash of the line before (the chain is broken)
ledger-problem-bad-time = the time is not in the expected form
ledger-problem-time-backwards = the time is earlier than the line before
ledger-problem-unknown-actor = it was written by an unknown key { $key }
ledger-problem-bad-signature = the signature does not verify
ledger-problem-io = reading failed ({ $key })

# The password notice.
err-notice-field = The notice field { $field } is empty, too long or malformed.
    .hint = Check the value and run the command again.
err-notice-id = The notice number is not well formed.
    .hint = Use the number exactly as printed on the notice.
err-notice-too-large = This file is too large to be a password notice (at most { $limit } bytes).
    .hint = Give the .txt password notice written by custody seal.
err-notice-not-a-notice = This file is not a password notice.
    .hint = Give the .txt password notice written by custody seal, or type the passphrase.
err-notice-missing-line = The password notice has no line “{ $label }”.
    .hint = Give the .txt password notice written by custody seal, unchanged.
err-notice-duplicate-line = Line { $line } of the password notice is a second “{ $label }”.
    .hint = Give the .txt password notice written by custody seal, unchanged.
err-notice-invalid-value = The value on line { $line } of the password notice ({ $label }) is malformed.
    .hint = Give the .txt password notice written by custody seal, unchanged.
err-notice-passphrase = The passphrase on line { $line } of the password notice cannot be read: { $detail }
    .hint = Check the notice, or type the passphrase.
err-notice-passphrase-mismatch = The passphrase on line { $line } of the password notice differs from the one above it.
    .hint = Check whether the notice was altered, and report it to the person responsible.

# Sealing, opening and erasing: the rarer failures.
err-payload-write = The payload could not be written: { $detail }
    .hint = Check the media's free space and that it is still plugged in, then run the command again.
err-archive-malformed = The archive inside the payload is damaged.
    .hint = Nothing was created. Ask the sender to seal the payload again.
err-manifest-missing = The payload has no manifest (MANIFEST.json).
    .hint = Nothing was created. Ask the sender whether it was made by custody seal.
err-manifest-invalid = The payload's manifest (MANIFEST.json) is not well formed.
    .hint = Nothing was created. Ask the sender to seal the payload again.
err-journal-damaged = Line { $line } of the erasure journal { $path } is damaged.
    .hint = Keep the journal as it is and report this to the person responsible.
err-journal-mismatch = An interrupted erasure (journal { $path }) used another method or verification.
    .hint = Run the same command again with the --method and --verify of the interrupted run.
err-random-unavailable = The operating system's random source is unavailable.
    .hint = Nothing was changed. Try again in a moment; if it persists, ask your administrator.
err-wipe-gate-closed = The erasure was called off before it started. Nothing was overwritten or removed.
    .hint = Run the command again if you still want it.
err-bad-verify-mode = There is no verification mode “{ $given }”.
    .hint = Use full, sample or none.

# An operating system error number, kept for whoever supports the user.
io-os-error = OS error { $n }
io-busy = in use (another program has it open, or it is mounted)
io-folder-not-empty = the folder is not empty
io-file-too-large = the file is over this filesystem's size limit
io-crosses-devices = cannot move across disks or media
io-other = input/output error
