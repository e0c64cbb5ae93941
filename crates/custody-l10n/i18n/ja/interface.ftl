# The command line itself (help, parse errors, completions, man pages), the words the
# CLI puts around library values, and the errors of the libraries that had no message
# of their own. Keep the ids in the same order in ja and en.

# clap's own words in the help.
help-heading-usage = 使い方:
help-heading-options = オプション
help-heading-arguments = 引数
help-heading-commands = コマンド
help-heading-global = 共通オプション
help-value-command = コマンド
help-usage-options = [オプション]
help-help = ヘルプを表示する
help-version = バージョンを表示する
help-quiet = エラーと最終結果だけを表示する（経過の説明や進捗バーを出さない）
help-completions = シェルの補完スクリプトを出力する（コマンド定義から生成）
help-completions-shell = シェル: bash、zsh、fish、powershell
help-man = custody と各コマンドの man ページをフォルダに書き出す
help-man-out = 書き出すフォルダ（なければ作成。既存のページは置き換えない）

# Command-line mistakes (exit code 2).
err-unknown-argument = 「{ $arg }」という引数はありません。
    .hint = `{ $usage }` で使い方を確認してください。
err-unknown-command = 「{ $command }」というコマンドはありません。
    .hint = `{ $usage }` でコマンドの一覧を確認してください。
err-missing-argument = 必要な引数が指定されていません: { $arg }
    .hint = `{ $usage }` で使い方を確認してください。
err-missing-command = コマンドを指定してください。
    .hint = `{ $usage }` でコマンドの一覧を確認してください。
err-invalid-value = { $arg } に「{ $value }」は指定できません。
    .hint = `{ $usage }` で使い方を確認してください。
err-argument-conflict = { $arg } と { $other } は同時に指定できません。
    .hint = どちらか一方だけを指定してください。
err-wrong-number-of-values = { $arg } の値の数が正しくありません。
    .hint = `{ $usage }` で使い方を確認してください。
err-usage = コマンドラインが正しくありません。
    .hint = `{ $usage }` で使い方を確認してください。
parse-valid-values = 指定できる値: { $valid }
parse-did-you-mean = もしかして: { $suggestion }

man-written = { $dir } に man ページを { $count } 件書き出しました。

# Which passphrase a prompt could not ask for.
passphrase-kind-key = 鍵
passphrase-kind-payload = パスワード通知書

# How a wipe ended, and the kinds of ledger entries, in sentences.
outcome-all-erased = すべて消去
outcome-some-failed = 一部が消去できず
outcome-interrupted = 中断
ledger-kind-init = 初期化
ledger-kind-sealed = 暗号化
ledger-kind-opened = 復号
list-separator = 、
ledger-kind-erased = 消去

# Overwrite methods and verification modes, as the wipe summary names them.
method-random = 乱数で1回上書き
method-zero = ゼロで1回上書き
method-nist-clear = NIST Clear（1回上書き）
method-dod-3 = DoD 5220.22-M（3回上書き）
method-vsitr = VSITR（7回上書き）
verify-full = すべて読み戻して確認
verify-sample = 一部を読み戻して確認
verify-none = 確認しない

# Keys and signatures.
err-key-malformed = 鍵または署名のファイルの形式が正しくありません（{ $what }）。
    .hint = custody key export で書き出した公開鍵（.pub）か、minisign の署名ファイルを指定してください。
err-key-algorithm = 鍵または署名のアルゴリズムに対応していません（{ $field }: { $found }）。
    .hint = custody または minisign で作った Ed25519 の鍵と署名だけを使えます。
err-key-not-encrypted = 秘密鍵がパスフレーズで保護されていません。
    .hint = custody はパスフレーズのない秘密鍵を使いません。custody init で作った鍵を使ってください。
err-key-kdf-too-expensive = 秘密鍵が、安全に許容できる以上のメモリと時間を要求しています。
    .hint = この鍵ファイルは使えません。鍵の持ち主に確認してください。
err-key-id-mismatch = 署名は鍵 { $found } によるもので、指定された鍵 { $expected } ではありません。
    .hint = 相手方の正しい公開鍵を指定しているか確認してください。
err-bad-signature = 署名を検証できません。内容か署名が変更されたか、別の鍵による署名です。
    .hint = ファイルはそのまま保管し、取扱責任者に報告してください。
err-bad-comment = 署名のコメントが1行 { $max } バイトを超えるか、改行を含みます。
    .hint = 契約番号や組織名などを短くして、もう一度実行してください。
err-key-io = 鍵または署名の対象を読めませんでした: { $detail }
    .hint = ファイルがあり、読み取り権限があるか確認してください。

# The ledger.
err-ledger-exists = { $path } には既に台帳があります。
    .hint = 既存の台帳はそのまま保管してください。新しいホームは別の場所（--home）に作成してください。
err-ledger-not-a-file = 台帳 { $path } が通常のファイルではありません。
    .hint = 何も変更していません。ホームのフォルダを取扱責任者に確認してもらってください。
err-ledger-torn-tail = 台帳 { $path } の最後の行（{ $line } 行目）が壊れています: { $detail }。何も追記していません。
    .hint = 台帳はそのまま保管し、取扱責任者に報告してください。手で修正しないでください。
err-ledger-bad-entry = custody が台帳に書けない記録を作ろうとしました（{ $detail }）。何も追記していません。
    .hint = custody の不具合です。実行したコマンドを添えて報告してください。
err-ledger-line-too-long = 台帳の記録が { $len } バイトになり、1行の上限 { $max } バイトを超えます。何も追記していません。
    .hint = 情報項目や契約番号などを短くして、もう一度実行してください。
err-ledger-clock = この PC の時計（{ $time }）が台帳の直前の記録（{ $previous }）より前になっています。何も追記していません。
    .hint = PC の日付と時刻を正しく合わせてから、もう一度実行してください。
err-ledger-short-write = 台帳 { $path } への書き込みが途中で止まりました。
    .hint = ディスクの空きを確認し、custody ledger verify で台帳を確認してから、もう一度実行してください。
err-proof-index = 記録番号 { $index } は、{ $size } 件の台帳にはありません。
    .hint = 台帳の件数の範囲内の番号を指定してください。
err-proof-sizes = 台帳の件数 { $old } から { $new } への整合性の証明は作れません。
    .hint = 古い件数が新しい件数以下であることを確認してください。
err-checkpoint-malformed = チェックポイントの形式が正しくありません。
    .hint = 受け取ったチェックポイントのファイルをそのまま指定しているか確認してください。
err-note-malformed = 署名付きノートの形式が正しくありません。
    .hint = 受け取ったファイルをそのまま指定しているか確認してください。
err-verifier-key-malformed = ノート検証用の鍵の形式が正しくありません。
    .hint = 相手方から受け取った検証用の鍵をそのまま指定してください。
err-note-bad-signature = ノートの { $name } による署名を検証できません。
    .hint = ファイルはそのまま保管し、取扱責任者に報告してください。
err-note-not-verified = ノートに、信頼する鍵による署名がありません。
    .hint = 相手方の正しい公開鍵を指定しているか確認してください。

ledger-problem-torn-line = 行が改行で終わっていません（書き込みの途中で止まった可能性があります）
ledger-problem-line-too-long = 行が長すぎます
ledger-problem-not-utf8 = 行が UTF-8 ではありません
ledger-problem-not-json = 行が JSON ではありません
ledger-problem-not-an-object = 行が JSON のオブジェクトではありません
ledger-problem-duplicate-key = キー「{ $key }」が2回あります
ledger-problem-not-canonical = 行が正規形（RFC 8785）ではありません
ledger-problem-missing-key = キー「{ $key }」がありません
ledger-problem-unexpected-key = 想定しないキー「{ $key }」があります
ledger-problem-bad-number = { $key } の数値が範囲外か整数ではありません
ledger-problem-bad-version = 対応していない形式の版です
ledger-problem-bad-field = 項目「{ $key }」の型か形式が正しくありません
ledger-problem-bad-kind = 記録の種類の名前が正しくありません
ledger-problem-seq = 通し番号が { $found } です（{ $expected } のはず）
ledger-problem-prev = 直前の行のハッシュと一致しません（連鎖が切れています）
ledger-problem-bad-time = 日時の形式が正しくありません
ledger-problem-time-backwards = 日時が直前の行より前になっています
ledger-problem-unknown-actor = 記録した鍵 { $key } は知らない鍵です
ledger-problem-bad-signature = 署名を検証できません
ledger-problem-io = 読み取りに失敗しました（{ $key }）

# The password notice.
err-notice-field = パスワード通知書の項目 { $field } が空か、長すぎるか、形式が正しくありません。
    .hint = 値を確認して、もう一度実行してください。
err-notice-id = パスワード通知書の番号の形式が正しくありません。
    .hint = 通知書に印刷された番号をそのまま使ってください。
err-notice-too-large = このファイルはパスワード通知書としては大きすぎます（上限 { $limit } バイト）。
    .hint = custody seal が作成した .txt のパスワード通知書を指定してください。
err-notice-not-a-notice = このファイルはパスワード通知書ではありません。
    .hint = custody seal が作成した .txt のパスワード通知書を指定するか、パスワードを入力してください。
err-notice-missing-line = パスワード通知書に「{ $label }」の行がありません。
    .hint = custody seal が作成した .txt のパスワード通知書を、手を加えずに指定してください。
err-notice-duplicate-line = パスワード通知書の { $line } 行目に、2つ目の「{ $label }」があります。
    .hint = custody seal が作成した .txt のパスワード通知書を、手を加えずに指定してください。
err-notice-invalid-value = パスワード通知書の { $line } 行目（{ $label }）の値の形式が正しくありません。
    .hint = custody seal が作成した .txt のパスワード通知書を、手を加えずに指定してください。
err-notice-passphrase = パスワード通知書の { $line } 行目のパスワードを読めません: { $detail }
    .hint = 通知書を確認するか、パスワードを入力してください。
err-notice-passphrase-mismatch = パスワード通知書の { $line } 行目のパスワードが、上の行のパスワードと一致しません。
    .hint = 通知書が書き換えられていないか確認し、取扱責任者に報告してください。

# Sealing, opening and erasing: the rarer failures.
err-payload-write = 暗号化データを書き込めませんでした: { $detail }
    .hint = 媒体の空き容量と、媒体が抜かれていないかを確認し、もう一度実行してください。
err-archive-malformed = 暗号化データの中のアーカイブが壊れています。
    .hint = 何も作成していません。送り主に暗号化データをもう一度作成してもらってください。
err-manifest-missing = 暗号化データにマニフェスト（MANIFEST.json）がありません。
    .hint = 何も作成していません。custody seal で作成された暗号化データか、送り主に確認してください。
err-manifest-invalid = 暗号化データのマニフェスト（MANIFEST.json）の形式が正しくありません。
    .hint = 何も作成していません。送り主に暗号化データをもう一度作成してもらってください。
err-journal-damaged = 消去の作業記録 { $path } の { $line } 行目が壊れています。
    .hint = 作業記録はそのまま保管し、取扱責任者に報告してください。
err-journal-mismatch = 以前に中断した消去（作業記録 { $path }）とは、方式か確認方法が違います。
    .hint = 中断したときと同じ --method と --verify で、同じコマンドをもう一度実行してください。
err-random-unavailable = OS の乱数源を使えません。
    .hint = 何も変更していません。しばらくしてから、もう一度実行してください。続く場合は管理者に相談してください。
err-wipe-gate-closed = 消去を始める前に取りやめました。何も上書き・削除していません。
    .hint = 必要であれば、もう一度実行してください。
err-bad-verify-mode = 確認方法「{ $given }」はありません。
    .hint = full、sample、none のいずれかを指定してください。

# An operating system error number, kept for whoever supports the user.
io-os-error = OS のエラー番号 { $n }
io-busy = 使用中です（ほかのプログラムが使っているか、マウントされています）
io-folder-not-empty = フォルダが空ではありません
io-file-too-large = ファイルがこのファイルシステムの上限を超えます
io-crosses-devices = 別のディスクや媒体をまたいで移動できません
io-other = 入出力エラー
