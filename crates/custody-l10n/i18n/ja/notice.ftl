# Messages for notice. Keep the ids in the same order in ja and en.
#
# The password notice (パスワード通知書). Messages marked [format] are labels of the
# text notice that custody-notice reads back (parse_text_notice): changing one is a
# change of the file format, and a test in custody-notice fails until the parser's
# constants are changed with it.

# [format] the first line of a text notice
notice-title = パスワード通知書
notice-confidential = 取扱注意（パスワード記載）
notice-intro = 下記の暗号化データ（電磁的媒体）を開くためのパスワードを通知します。

# [format]
notice-label-format = 書式
# [format]
notice-label-id = 通知番号
# [format]
notice-label-payload = 暗号化データID
# [format]
notice-label-fingerprint = 照合コード
# [format]
notice-label-typed = パスワード（入力用）
# [format]
notice-label-canonical = パスワード（標準形式）
notice-label-issuer-org = 発行元
notice-label-issuer-name = 発行者
notice-label-recipient = 宛先
notice-label-contract = 契約名
notice-label-categories = 情報項目
notice-label-file-count = ファイル数
notice-label-total-size = データ量
notice-label-issued = 発行日

notice-value-not-given = （記載なし）
notice-value-files = { $count } 件
notice-value-size = { $bytes } バイト（{ $human }）
notice-value-category-separator = 、
notice-note-prefix = ※

notice-fingerprint-hint = 開く前に、媒体のラベルに記載され、「custody open」がパスワードを尋ねる前に表示する照合コードと一致することを確認してください。
notice-typed-hint = 各グループの6文字目は入力誤りを見つけるための確認文字です。確認文字も含めて入力してください。
notice-symbol-note = O（オー）・I（アイ）・L（エル）は使われていません。0 はゼロ、1 はイチです。大文字・小文字、ハイフン、空白は区別しません。
notice-canonical-hint = 標準の age コマンド（age -d）で開く場合は、確認文字を除いたこの形式をそのまま入力してください。
notice-group = { $n }

notice-rules-heading = 取扱いについて
notice-rule-separate = 本通知書と暗号化データ（電磁的媒体）は、それぞれ別の機会に手渡しで受け渡してください。同封・同送はしないでください。
notice-rule-cabinet = 本通知書は施錠できるキャビネット（保管庫）に保管し、鍵は取扱責任者が管理してください。媒体と同じ場所には保管しないでください。
notice-rule-no-copy = 本通知書を複写・複製しないでください（コピー、写真撮影、スキャン、メール等への転記を含みます）。
notice-rule-return = 契約の終了時、または不要となったときは、本通知書を区に返却してください。
notice-rule-destroy = 返却・廃棄は、区の指示に従って行ってください。
notice-rule-incident = 紛失・漏えい（そのおそれを含む）があったときは、直ちに区に報告してください。

notice-handover-heading = 受渡しの記録（手渡し）
notice-handed-by = 引渡者
notice-received-by = 受領者
notice-sign-affiliation = 所属
notice-sign-name = 氏名
notice-sign-seal = 署名／押印
notice-sign-date = 日付
notice-sign-date-blank = 令和　　年　　月　　日
notice-footer = この通知書は custody が作成しました。
