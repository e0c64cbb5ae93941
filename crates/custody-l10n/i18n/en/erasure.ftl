# Erasure that is always recorded and true to what happened (issue 8).

warning-mount-point-emptied = { $path } is a mount point (for example a USB stick): what is on it is erased, the mount point itself stays.

problem-grew = grew while being erased (from { $planned } to { $now } bytes); the new bytes were not overwritten, so it was left in place
problem-replaced = an earlier, interrupted run had begun erasing this file, and another file now stands at its path; the earlier one is gone under this name without its erasure being completed

wipe-recovered = The earlier run of this erasure had stopped after its last step but before its record was complete; its record is now kept and signed in the ledger: { $record }

wipe-ledger-torn-line = the line is cut off (a crash in the middle of writing it)
err-wipe-ledger-cannot-record = Nothing was erased: the ledger { $path } cannot take the record of an erasure (line { $line }: { $detail }).
    .hint = An erasure that cannot be recorded is not started. If the last line was cut off by a crash, run `custody ledger repair`, which moves the damaged bytes aside into a signed note; do not edit the ledger by hand.
err-wipe-record-exists = Nothing was erased: { $path } already exists, and the erasure record never replaces a file.
    .hint = Give --record a new file name, or move the existing file away.
err-wipe-in-progress = Nothing was erased: another custody wipe of the same targets is running.
    .hint = Wait until it has finished (its progress is on its own terminal), then run this command again if anything is left. Lock: { $path }
