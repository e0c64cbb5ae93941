# 確認と入力の流れ（seal --dry-run、開く前の照合、パスワードの再入力）。ja と en で同じ順に並べてください。

ux-label-problem-fingerprint = 照合コードが暗号化データの SHA-256 と一致しません
ux-key-passphrase-again = 鍵のパスワードが違います。もう一度入力してください（残り { $left } 回）。
ux-payload-passphrase-again = この暗号化データのパスワードが違います。パスワード通知書を確かめて、もう一度入力してください（残り { $left } 回）。
ux-open-compare = 暗号化データID { $id }、照合コード { $fingerprint }。パスワードを入力する前に、パスワード通知書の暗号化データIDと照合コードが同じであることを確かめてください。

ux-dry-run-title = 確認のみ（何も書き込まず、パスワードも尋ねていません）。暗号化すると次のとおりです:
ux-dry-run-more = 、ほか { $count } 件
ux-dry-run-next = 内容がよければ、--dry-run を付けずに同じコマンドを実行してください。
ux-label-source = 暗号化するフォルダ
ux-label-folders = フォルダ数
ux-label-names = 主なファイル
ux-label-media = 書き込み先（電磁的媒体）
ux-label-payload-bound = 暗号化データの大きさ（最大）

err-notice-folder-not-writable = パスワード通知書を書き出すフォルダ { $path } に書き込めません。
    .hint = 書き込めるフォルダのパスを --notice に指定してください。何も書き込んでいません。
err-media-not-a-folder = 書き込み先 { $path } はフォルダとして存在しません。
    .hint = USBメモリを接続し、そのフォルダを --to に指定してください。何も書き込んでいません。
err-media-not-writable = 書き込み先 { $path } に書き込めません。
    .hint = USBメモリの書き込み禁止スイッチや、フォルダの権限を確かめてください。何も書き込んでいません。
