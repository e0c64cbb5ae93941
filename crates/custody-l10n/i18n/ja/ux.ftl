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

# エラーに含まれる項目名・ホームの部分・消去の手順を、識別子のまま見せないための言葉。
ux-field-sealed-by = 封印した人の鍵ID
ux-field-other = 項目
ux-home-damage-person = 本人情報（person.json）が読めません
ux-home-damage-key-pair = 秘密鍵（identity.key）と公開鍵（identity.pub）が別の鍵です
ux-home-damage-folder-key = 作業フォルダ用の鍵（folder.key）が正しくありません
ux-home-damage-coverage = 開いた暗号化データの記録（消去証明書に使うもの）が正しくありません
ux-home-damage-payload-reference = 消去の記録に使う暗号化データの参照が正しくありません
ux-home-damage-interrupted-erasure = 中断した消去の記録が正しくありません
ux-home-damage-pinned-key = 委託先の台帳用に登録した公開鍵が正しくありません
ux-home-damage-kept-checkpoint = 保管している委託先の台帳のチェックポイントが検証できません
ux-home-damage-certificate-chain = 発行した消去証明書の連鎖の記録が正しくありません
ux-step-open = ファイルを開く処理
ux-step-stat = ファイル情報の取得
ux-step-hash = 消去前の内容の読み取り
ux-step-overwrite = 上書き
ux-step-verify = 上書きの確認
ux-step-sync = ディスクへの書き込みの確定
ux-step-sync-directory = フォルダの変更の確定
ux-step-drop-cache = キャッシュの破棄
ux-step-truncate = ファイルの切り詰め
ux-step-rename = 無作為な名前への変更
ux-step-unlink = ファイルの削除
ux-step-read-directory = フォルダの読み取り
ux-step-other = 処理

# man ページの節見出し（custody man）。
ux-man-name = 名前
ux-man-synopsis = 書式
ux-man-description = 説明
ux-man-options = オプション
ux-man-subcommands = コマンド
ux-man-version = バージョン
ux-man-authors = 作者

# seal --dry-run の説明（--help）。
help-seal-dry-run = すべて確かめ、暗号化する内容と通知書に載る項目を表示するだけにする。何も書き込まず、パスワードも尋ねない
