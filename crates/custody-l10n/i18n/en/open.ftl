# Messages of `custody open`. Keep the ids in the same order in ja and en.

open-progress = Opening
open-done = Opened. The files are in an owner-only work folder.
open-next = Work only in this folder; do not copy the files elsewhere. At contract end, erase it with `custody wipe`.

err-wrong-passphrase = The passphrase is wrong for this payload.
    .hint = Check that the password notice belongs to this payload (compare the payload ID and fingerprint), then type it again.
err-dest-not-empty = The work folder { $path } already exists and is not empty.
    .hint = Name a new folder with --dest; nothing is ever merged into existing files.
err-label-mismatch = The payload does not match its label ({ $field }).
    .hint = The payload may be damaged or replaced. Do not use it; report it to the sender.
err-label-invalid = The label { $path } is not a valid custody label: { $detail }
    .hint = The label may be damaged or replaced. Do not use the payload; report it to the sender.
err-unsafe-entry = The payload contains an entry that is not allowed: { $entry } ({ $detail }).
    .hint = Nothing was extracted. Report the payload to the sender.
err-manifest-mismatch = The payload's contents do not match its manifest: { $entry } ({ $detail }).
    .hint = Nothing was extracted. Report the payload to the sender.
err-payload-truncated = The payload is incomplete (cut off).
    .hint = Nothing was extracted. Copy it again from the media, or ask the sender for a new one.
err-payload-corrupted = The payload is damaged.
    .hint = Nothing was extracted. Copy it again from the media, or ask the sender for a new one.
err-not-a-payload = This file is not a custody payload.
    .hint = Open the .age file on the media.
err-not-passphrase-payload = This age file is not protected by a passphrase from a password notice.
    .hint = custody opens payloads made by `custody seal`; use the tool it was made with.
err-work-factor = The payload asks for more key-derivation work than is safe to allow.
    .hint = It was not made by custody; ask the sender.
err-open-failed = Opening failed: { $detail }
    .hint = Nothing was extracted.
