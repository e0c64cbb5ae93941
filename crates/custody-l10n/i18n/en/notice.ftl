# Messages for notice. Keep the ids in the same order in ja and en.
#
# The password notice (パスワード通知書). Messages marked [format] are labels of the
# text notice that custody-notice reads back (parse_text_notice): changing one is a
# change of the file format, and a test in custody-notice fails until the parser's
# constants are changed with it.

# [format] the first line of a text notice
notice-title = Password notice
notice-confidential = Confidential: contains a password
notice-intro = This notice gives the passphrase that opens the encrypted data (USB media) described below.

# [format]
notice-label-format = Format
# [format]
notice-label-id = Notice number
# [format]
notice-label-payload = Payload ID
# [format]
notice-label-fingerprint = Fingerprint
# [format]
notice-label-typed = Passphrase (to type)
# [format]
notice-label-canonical = Passphrase (canonical)
notice-label-issuer-org = Issuer
notice-label-issuer-name = Issued by
notice-label-recipient = Recipient
notice-label-contract = Contract
notice-label-categories = Data categories
notice-label-file-count = Files
notice-label-total-size = Size
notice-label-issued = Date issued

notice-value-not-given = (not given)
notice-value-files = { $count }
notice-value-size = { $bytes } bytes ({ $human })
notice-value-category-separator = {", "}
notice-note-prefix = Note:

notice-fingerprint-hint = Before opening, check that this fingerprint matches the one on the media's label, which custody open shows before it asks for the passphrase.
notice-typed-hint = The sixth character of each group is a check character that catches typing mistakes. Type it too.
notice-symbol-note = The letters O, I and L are never used: 0 is zero and 1 is one. Upper or lower case, hyphens and spaces do not matter.
notice-canonical-hint = To open with the stock age tool (age -d), type this form, without check characters, exactly as shown.
notice-group = { $n }

notice-rules-heading = Handling rules
notice-rule-separate = Hand this notice and the encrypted data (USB media) over in person, each on a separate occasion. Never enclose or send them together.
notice-rule-cabinet = Keep this notice in a locked cabinet whose key the responsible person keeps, and not in the same place as the media.
notice-rule-no-copy = Do not copy this notice in any way (photocopy, photo, scan, or retyping into e-mail or chat).
notice-rule-return = Return this notice to the ward when the contract ends or when it is no longer needed.
notice-rule-destroy = Return or destroy it only as the ward instructs.
notice-rule-incident = Report any loss or leak, or the risk of one, to the ward at once.

notice-handover-heading = Record of handover (by hand)
notice-handed-by = Handed over by
notice-received-by = Received by
notice-sign-affiliation = Organisation
notice-sign-name = Name
notice-sign-seal = Signature / seal
notice-sign-date = Date
notice-sign-date-blank = ______ / ____ / ____
notice-footer = This notice was made by custody.
