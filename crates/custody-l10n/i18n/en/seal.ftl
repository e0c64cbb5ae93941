# Messages of `custody seal`. Keep the ids in the same order in ja and en.

seal-progress = Sealing
seal-done = Sealed. Hand over the media and the password notice by hand, each on a separate occasion.
seal-next = Print the password notice, keep it apart from the media, and check that the fingerprint on the notice matches the label.

offender-symlink = symbolic link
offender-special-file = special file (device, pipe or socket)
offender-unreadable = cannot be read
offender-not-utf8-name = name is not valid text
offender-forbidden-name = name not allowed on USB media
offender-reserved-name = name reserved for the manifest
offender-case-duplicate = differs from another name only in upper/lower case
offender-other = not allowed

err-source-refused = { $count } item(s) in the folder cannot be sealed:
    { $list }
    .hint = Remove or replace these items (symbolic links by the files themselves), then seal again. Nothing was written.
err-source-not-a-folder = { $path } is not a folder.
    .hint = Seal a folder: put the files to deliver in one folder and give its path.
err-invalid-category = "{ $category }" cannot be used as a data category.
    .hint = Use a short name such as 氏名 or 住所, without line breaks or control characters.
err-invalid-field = The value given for { $field } cannot be put on the label.
    .hint = Use a single line of ordinary text.
err-payload-exists = { $path } already exists on the media.
    .hint = Nothing was overwritten. Use an empty media folder.
err-source-inside-media = The folder to seal and the media folder overlap.
    .hint = Seal a folder that is not on the media, to a media folder outside it.
err-no-room = The media has too little room: { $needed } needed, { $available } free.
    .hint = Use a larger USB stick, or free space on it. Nothing was written.
err-too-large-for-fat = The payload would be 4 GiB or more, larger than a FAT-formatted USB stick can hold in one file.
    .hint = Use an exFAT or ext4 formatted stick, or split the folder into several deliveries.
err-source-changed = { $path } changed while it was being sealed.
    .hint = Make sure nothing writes to the folder, then seal again. Nothing was written.
err-seal-failed = Sealing failed: { $detail }
    .hint = Nothing was left on the media. Check the message, then seal again.
err-notice-on-media = The password notice { $notice } would be on the media { $media }.
    .hint = The notice and the media are handed over separately (R2): write the notice to a folder on this PC, not on the USB stick.
err-notice-exists = The password notice { $path } already exists.
    .hint = Choose a new file name; an old notice is never overwritten.
err-notice-format = The password notice { $path } must end in .html (to print) or .txt.
    .hint = For example: --notice notice.html
