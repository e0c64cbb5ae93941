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

# What an unsafe entry is, and how a file differs from the manifest (the { $detail } above).
open-unsafe-path = an unsafe path (absolute, "..", or characters that cannot be stored)
open-unsafe-symlink = a symbolic link
open-unsafe-hardlink = a hard link
open-unsafe-device = a device file
open-unsafe-fifo = a named pipe
open-unsafe-other-type = an entry of an unsupported type
open-unsafe-duplicate = the same name appears twice
open-unsafe-case-duplicate = the name differs from another only in upper or lower case
open-unsafe-parent = its folder was not declared before it
open-unsafe-pax = an unsupported tar extension header
open-unsafe-smuggling = two conflicting names for one entry
open-unsafe-extension-size = an extension header that is too large
open-unsafe-dir-data = a folder entry carrying data
open-unsafe-after-manifest = an entry after the manifest
open-unsafe-header-format = an unknown tar header format
open-mismatch-missing = listed in the manifest but missing from the payload
open-mismatch-extra = in the payload but not listed in the manifest
open-mismatch-size = its size differs from the manifest
open-mismatch-sha256 = its contents differ from the manifest (SHA-256)

label-problem-too-large = the file is larger than any label
label-problem-not-a-label = it is not a label (line { $line }, column { $column })
label-problem-format = it is version { $v } of the format { $format }, which this version of custody does not read
label-problem-not-canonical = its bytes are not exactly as custody writes them (it was edited)
label-problem-field = the field { $field } is not one line of text
