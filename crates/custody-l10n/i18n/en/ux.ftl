# The checks and prompts around seal and open (seal --dry-run, the comparison before
# opening, passphrases asked again). Keep the ids in the same order in ja and en.

ux-label-problem-fingerprint = the fingerprint does not match the payload's SHA-256
ux-key-passphrase-again = The key passphrase is wrong. Type it again ({ $left } tries left).
ux-payload-passphrase-again = The passphrase for this payload is wrong. Check the password notice and type it again ({ $left } tries left).
ux-open-compare = Payload ID { $id }, fingerprint { $fingerprint }. Before typing the passphrase, check that the password notice shows the same payload ID and fingerprint.

ux-dry-run-title = Checked only (nothing written, no passphrase asked). Sealing would do this:
ux-dry-run-more = , and { $count } more
ux-dry-run-next = If this is right, run the same command without --dry-run.
ux-label-source = Folder to seal
ux-label-folders = Folders
ux-label-names = First files
ux-label-media = Media folder
ux-label-payload-bound = Payload size (at most)

err-notice-folder-not-writable = The folder { $path } for the password notice cannot be written.
    .hint = Give --notice a path in a folder you can write to. Nothing was written.
err-media-not-a-folder = The media folder { $path } does not exist or is not a folder.
    .hint = Connect the USB stick and give its folder with --to. Nothing was written.
err-media-not-writable = The media folder { $path } cannot be written.
    .hint = Check the USB stick's write-protect switch and the folder's permissions. Nothing was written.

# Words for the field names, parts of the home and erasure steps an error carries, so
# that no identifier is shown raw.
ux-field-sealed-by = the sealer's key ID
ux-field-other = a field
ux-home-damage-person = the person file (person.json) cannot be read
ux-home-damage-key-pair = the secret key (identity.key) and public key (identity.pub) are different keys
ux-home-damage-folder-key = the work-folder key (folder.key) is not valid
ux-home-damage-coverage = the record of an opened payload (used for certificates) is not valid
ux-home-damage-payload-reference = a payload reference kept for an erasure record is not valid
ux-home-damage-interrupted-erasure = the record of an interrupted erasure is not valid
ux-home-damage-pinned-key = the public key pinned for a contractor's ledger is not valid
ux-home-damage-kept-checkpoint = the checkpoint kept for a contractor's ledger does not verify
ux-home-damage-certificate-chain = the chain of certificates this home issued is not valid
ux-step-open = opening the file
ux-step-stat = reading the file's details
ux-step-hash = reading the contents before erasure
ux-step-overwrite = overwriting
ux-step-verify = verifying the overwrite
ux-step-sync = making the writes durable
ux-step-sync-directory = making the folder's changes durable
ux-step-drop-cache = dropping the cache
ux-step-truncate = truncating the file
ux-step-rename = renaming to a random name
ux-step-unlink = deleting the file
ux-step-read-directory = reading the folder
ux-step-other = a step

# Section headings of the man pages (custody man).
ux-man-name = NAME
ux-man-synopsis = SYNOPSIS
ux-man-description = DESCRIPTION
ux-man-options = OPTIONS
ux-man-subcommands = SUBCOMMANDS
ux-man-version = VERSION
ux-man-authors = AUTHORS

# seal --dry-run in --help.
help-seal-dry-run = Check everything and show what would be sealed and what the notice would say; write nothing and ask for no passphrase
