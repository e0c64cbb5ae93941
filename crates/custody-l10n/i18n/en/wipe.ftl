# Messages of `custody wipe`. Keep the ids in the same order in ja and en.

wipe-summary = About to erase (overwrite, verify, remove):
wipe-label-files = Files
wipe-label-dirs = Folders
wipe-label-symlinks = Symbolic links (removed; their targets are not touched)
wipe-label-bytes = Data
wipe-label-filesystem = On
wipe-label-device = Device
wipe-label-model = Model
wipe-label-serial = Serial number
wipe-label-method = Method
wipe-label-verify = Verification
wipe-label-items = Items
wipe-label-erased = Erased
wipe-label-failed = Failed
wipe-label-record = Erasure record
wipe-label-record-copy = Copy of the record
wipe-resuming = An earlier run of this erasure did not finish (interrupted, or some items failed); this run continues it.
wipe-confirm = This cannot be undone. Type "{ $word }" to erase:
wipe-confirm-word = yes
wipe-done = Erased. Keep the erasure record: the certificate of erasure is made from it.
wipe-done-with-failures = Erasure finished, but some items could not be erased (listed below). They are recorded as failed.
wipe-interrupted = Erasure interrupted. What was done is recorded; run the same command again to finish.
wipe-problems = Items not erased:

phase-hashing = Reading (hash of the contents before erasure)
phase-overwriting = Overwriting, pass
phase-verifying = Verifying from the device
phase-removing = Removing

assurance-clear = overwritten in place and read back from the device (NIST Clear)
assurance-cryptographic-erase = payload whose notice is destroyed: cryptographic erase
assurance-not-assured = overwritten and verified, but the filesystem or medium may keep old copies
assurance-unverified = overwritten, not verified
assurance-name-only = removed (no contents of its own)
assurance-none = not erased

caveat-copy-on-write = copy-on-write filesystem: old blocks stay on the disk; overwriting cannot reach them
caveat-compression = compressed filesystem: the overwrite does not land on the old bytes
caveat-data-journalled = data journalling: contents also pass through the journal
caveat-network = network filesystem: the server decides where bytes go and may keep snapshots
caveat-fuse = FUSE filesystem: a program decides where bytes go
caveat-tmpfs = memory filesystem: pages may have been swapped out
caveat-overlay = overlay filesystem: lower-layer copies are not touched
caveat-flash = flash medium (SSD/USB): wear levelling may keep old blocks; NIST rates overwrite as Clear at most
caveat-journal-names = the filesystem journal may keep copies of the original file names for a while
caveat-deleted-entries = removed directory entries may keep name bytes until reused
caveat-unknown-fs = unknown filesystem type: the overwrite is not assured

warning-hard-linked = { $path } has { $links } names; other names outside the erasure keep the data reachable, so it is left alone and reported.
warning-mount-point = { $path } is another mounted filesystem; it is not entered.
warning-open-for-writing = { $path } is open for writing by { $process } (pid { $pid }).
warning-system-directory = { $path } is inside a system directory.

problem-permission-denied = permission denied
problem-vanished = disappeared before it was erased
problem-changed = changed while being erased
problem-read-only = read-only filesystem
problem-hard-linked = has { $links } names; the data is still reachable through the others
problem-not-empty = folder still holds items that were not erased
problem-verify-mismatch = read-back differs from what was written (at byte { $offset })
problem-mount-point = another filesystem is mounted here
problem-interrupted = stopped in the middle of overwriting (partly overwritten, not erased; run the same command again to finish)
problem-io = { $step } failed: { $detail }

refuse-root = it is the root of the filesystem
refuse-home-directory = it is your home folder, or contains it
refuse-system-directory = it is a system folder, inside one, or contains one
refuse-tool-home = it is the custody home (keys, ledger, records), or contains it
refuse-open-for-writing = another program has it open for writing
refuse-mounted-device = the device, or a partition of it, is mounted or in use
refuse-system-disk = it holds the running system
refuse-not-found = it does not exist
refuse-unsupported-type = it is not a file, folder or device that can be erased
refuse-overlapping = it is given twice, or lies inside another path given
refuse-other = it is not allowed

err-wipe-refused = Will not erase { $path }: { $reason }.
    .hint = Nothing was changed. Check the path; unmount a device first. --force overrides only where erasing is safe to allow.
err-wipe-failed = Erasure could not run: { $detail }
    .hint = Check the message; what was done so far is in the journal and a re-run continues.
err-wipe-partial = { $failed } of { $total } items could not be erased.
    .hint = See the list and the erasure record; fix the cause (permissions, read-only media) and run the same command again.
err-confirmation-needed = Erasure needs confirmation, and there is no terminal to ask.
    .hint = Check the plan with --dry-run, then run again with --yes.
wipe-device-absent = The medium is not connected. The erasure an earlier run began on it will be recorded as not completed. To erase it, connect it and run the same command again.
wipe-label-targets = What you named:
wipe-target-folder = { $path } (folder: { $files } files, { $size })
wipe-target-file = { $path } ({ $size })
wipe-target-more = … and { $count } more
wipe-target-link = { $path } (symbolic link: only the link is removed)
