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
ux-label-names = Files
ux-label-media = Media folder
ux-label-payload-bound = Payload size (at most)

err-notice-folder-not-writable = The folder { $path } for the password notice cannot be written.
    .hint = Give --notice a path in a folder you can write to. Nothing was written.
err-media-not-a-folder = The media folder { $path } does not exist or is not a folder.
    .hint = Connect the USB stick and give its folder with --to. Nothing was written.
err-media-not-writable = The media folder { $path } cannot be written.
    .hint = Check the USB stick's write-protect switch and the folder's permissions. Nothing was written.
