# Messages of `ledger checkpoint`, `ledger cosign` and `ledger prove`. Keep the ids in the same order in ja and en.

help-ledger-checkpoint = Sign your ledger's size and Merkle root as a checkpoint, for the ward to cosign
help-ledger-checkpoint-out = Write the checkpoint to this file (default: standard output); an existing file is never replaced
help-ledger-cosign = As the ward: check a contractor's checkpoint and ledger copy against the last checkpoint you cosigned for that ledger, then cosign it
help-ledger-cosign-checkpoint = The contractor's checkpoint file
help-ledger-cosign-ledger = The contractor's copy of its ledger
help-ledger-cosign-trust = The contractor's public key (minisign .pub); needed the first time, then kept
help-ledger-cosign-out = Write the cosigned checkpoint here (default: over the checkpoint file)
help-ledger-prove = An inclusion proof that one entry is in your ledger (or in a checkpoint of it)
help-ledger-prove-seq = The entry's number (seq; 0 is the first line)
help-ledger-prove-checkpoint = Prove against this checkpoint of your ledger (default: the ledger as it is now)

checkpoint-made = Checkpoint signed: { $entries } entries.
checkpoint-label-origin = Ledger name (origin)
checkpoint-label-file = Checkpoint file
checkpoint-next = Next: hand the checkpoint and a copy of your ledger to the ward, who runs `custody ledger cosign`.
cosign-checked = Checked: the checkpoint of { $origin } ({ $entries } entries) is signed by the trusted key, matches every line of the ledger, and extends what you cosigned before.
cosign-done = Cosigned: { $entries } entries.
cosign-label-cosigner = Cosigned as
cosign-first = This was the first checkpoint of this ledger: the contractor's key is now kept in your home, and every later checkpoint must extend this one.
cosign-consistent = It extends the { $previous } entries you cosigned before (consistency proof checked).
prove-done = Entry { $seq } is in the ledger of { $entries } entries.
prove-label-kind = Kind
prove-label-time = Time
prove-label-leaf = Leaf hash
prove-against-checkpoint = The proof is for the checkpoint you gave: anyone holding it can check the entry with `--json`'s proof.
prove-against-ledger = The proof is for your ledger as it is now. Give --checkpoint to prove against a checkpoint the ward cosigned.
event-kind-init = ledger started (init)
event-kind-sealed = sealed onto media (sealed)
event-kind-opened = opened into a work folder (opened)
event-kind-erased = erased (erased)
event-kind-certified = certificate issued (certified)
checkpoint-no-proof = (none: the checkpoint is smaller than the one held)

checkpoint-problem-note = it is not a signed note
checkpoint-problem-body = its text is not a checkpoint (origin, size, root)
checkpoint-problem-key = the key in it cannot be read
checkpoint-problem-proof = the proof is not in the expected form
checkpoint-problem-other = it cannot be read

err-not-a-file = { $path } is not a regular file.
    .hint = Give the path of the file itself, not a folder, link or device.
err-file-too-large = { $path } is larger than { $size }: that is not a checkpoint.
    .hint = Check that you named the right file.
err-checkpoint-invalid = The checkpoint { $path } was refused: { $detail }.
    .hint = Ask for the checkpoint file again, exactly as `custody ledger checkpoint` wrote it.
err-checkpoint-untrusted = The checkpoint { $path } is not signed by the key trusted for { $origin }.
    .hint = Check with the contractor which key signed it. Nothing was stored.
err-witness-no-trust = You have not cosigned a checkpoint of { $origin } before, so no key is trusted for it yet.
    .hint = Get the contractor's public key (custody key export) through a channel you trust, and give it with --trust KEY.pub.
err-witness-key-mismatch = { $origin } is kept with key { $pinned }, but the key given is { $given }.
    .hint = A ledger keeps its key. If the contractor really changed keys, treat it as an incident and ask them why. Nothing was stored.
err-checkpoint-mismatch = The checkpoint does not describe this ledger: it says { $checkpoint_size } entries (root { $checkpoint_root }), the ledger has { $ledger_size } (root { $ledger_root }).
    .hint = Ask for the ledger copy and the checkpoint made from it at the same time. Nothing was stored.
err-checkpoint-inconsistent = REFUSED: this checkpoint of { $origin } is inconsistent with the one you cosigned before. The ledger was rewritten or forked.
    Held ({ $stored_size } entries):
    { $stored }
    Submitted ({ $submitted_size } entries):
    { $submitted }
    Consistency proof from the submitted ledger (it does not lead to the held root):
    { $proof }
    .hint = Keep both checkpoints and the ledger copy as evidence and treat this as an incident. Your stored checkpoint was not changed.
err-checkpoint-smaller = REFUSED: this checkpoint of { $origin } has { $submitted_size } entries, fewer than the { $stored_size } you cosigned before. The ledger was truncated.
    Held ({ $stored_size } entries):
    { $stored }
    Submitted ({ $submitted_size } entries):
    { $submitted }
    Consistency proof: { $proof }
    .hint = Keep both checkpoints and the ledger copy as evidence and treat this as an incident. Your stored checkpoint was not changed.
err-entry-not-found = There is no entry { $seq }: the ledger (or checkpoint) has { $size } entries, numbered from 0.
    .hint = Run `custody ledger verify --json` to see how many entries there are.
err-proof-malformed = The Merkle proof could not be read: it is not in the form custody writes.
    .hint = Make the proof again with `custody ledger prove`, and pass it on unchanged.
err-ledger-bad-body = custody tried to write a { $kind } entry whose body is not that kind's body. Nothing was appended.
    .hint = This is a defect in custody. Please report it with the command you ran.
ledger-problem-bad-body = the body of this { $key } entry is not the body of its kind
