# Messages of `custody seal`. Keep the ids in the same order in ja and en.

seal-progress = 暗号化中
seal-done = 暗号化しました。電磁的媒体（USB）とパスワード通知書は、それぞれ別の機会に手渡しで受け渡してください。
seal-next = パスワード通知書を印刷して媒体とは別に保管し、通知書の照合コードがラベルと一致することを確かめてください。

offender-symlink = シンボリックリンク
offender-special-file = 特殊ファイル（デバイス、パイプ、ソケット）
offender-unreadable = 読み取れません
offender-not-utf8-name = 名前が正しい文字列ではありません
offender-forbidden-name = USB媒体で使えない名前です
offender-reserved-name = マニフェスト用に予約された名前です
offender-case-duplicate = 大文字・小文字の違いだけで別の名前と重なります
offender-other = 使用できません

err-source-refused = フォルダ内の { $count } 件は暗号化できません:
    { $list }
    .hint = これらを削除するか置き換えて（シンボリックリンクは実体のファイルに）、もう一度実行してください。何も書き込んでいません。
err-source-not-a-folder = { $path } はフォルダではありません。
    .hint = 納品するファイルを1つのフォルダにまとめ、そのフォルダを指定してください。
err-invalid-category = 「{ $category }」は情報項目として使えません。
    .hint = 氏名、住所のような短い名前を、改行や制御文字なしで指定してください。
err-invalid-field = { $field } に指定された値はラベルに記載できません。
    .hint = 1行の通常の文字で指定してください。
err-payload-exists = 媒体上に { $path } が既にあります。
    .hint = 何も上書きしていません。空の媒体フォルダを使ってください。
err-source-inside-media = 暗号化するフォルダと媒体のフォルダが重なっています。
    .hint = 媒体上にないフォルダを、そのフォルダの外にある媒体フォルダへ暗号化してください。
err-no-room = 媒体の空き容量が足りません（必要 { $needed }、空き { $available }）。
    .hint = 大きいUSBメモリを使うか、空きを作ってください。何も書き込んでいません。
err-too-large-for-fat = 暗号化データが4 GiB以上になり、FAT形式のUSBメモリには1ファイルとして保存できません。
    .hint = exFATまたはext4形式のUSBメモリを使うか、フォルダを分けて複数回に分けて納品してください。
err-source-changed = 暗号化中に { $path } が変更されました。
    .hint = フォルダに書き込む処理がないことを確認して、もう一度実行してください。何も書き込んでいません。
err-seal-failed = 暗号化に失敗しました: { $detail }
    .hint = 媒体には何も残っていません。メッセージを確認して、もう一度実行してください。
err-notice-on-media = パスワード通知書 { $notice } が媒体 { $media } 上に作られます。
    .hint = 通知書と媒体は別々に受け渡します（R2）。通知書はUSBメモリではなく、このPCのフォルダに作成してください。
err-notice-exists = パスワード通知書 { $path } は既にあります。
    .hint = 新しいファイル名を指定してください。既存の通知書を上書きすることはありません。
err-notice-format = パスワード通知書 { $path } の拡張子は .html（印刷用）か .txt にしてください。
    .hint = 例: --notice notice.html
