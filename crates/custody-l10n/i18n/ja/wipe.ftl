# Messages of `custody wipe`. Keep the ids in the same order in ja and en.

wipe-summary = 次のものを消去します（上書き、確認、削除）:
wipe-label-files = ファイル
wipe-label-dirs = フォルダ
wipe-label-symlinks = シンボリックリンク（リンクのみ削除。リンク先には触れません）
wipe-label-bytes = データ量
wipe-label-filesystem = ファイルシステム
wipe-label-device = デバイス
wipe-label-model = 型番
wipe-label-serial = 製造番号
wipe-label-method = 方式
wipe-label-verify = 確認方法
wipe-label-items = 対象
wipe-label-erased = 消去済み
wipe-label-failed = 失敗
wipe-label-record = 消去の記録
wipe-label-record-copy = 記録の写し
wipe-resuming = この消去は以前の実行で終わっていません（中断、または一部失敗）。今回の実行で続きを行います。
wipe-confirm = 元に戻せません。消去する場合は「{ $word }」と入力してください:
wipe-confirm-word = yes
wipe-done = 消去しました。消去証明書はこの消去の記録から作成しますので、保管してください。
wipe-done-with-failures = 消去を終えましたが、消去できなかったものがあります（下記）。失敗として記録しました。
wipe-interrupted = 消去を中断しました。ここまでの作業は記録されています。同じコマンドをもう一度実行すると完了します。
wipe-problems = 消去できなかったもの:

phase-hashing = 読み取り中（消去前の内容のハッシュ値）
phase-overwriting = 上書き中 パス
phase-verifying = デバイスから読み戻して確認中
phase-removing = 削除中

assurance-clear = その場で上書きし、デバイスから読み戻して確認（NIST Clear）
assurance-cryptographic-erase = 通知書を廃棄した暗号化データ: 暗号学的消去
assurance-not-assured = 上書きと確認は済んだが、ファイルシステムや媒体に古い複製が残りうる
assurance-unverified = 上書き済み、未確認
assurance-name-only = 削除（中身を持たないもの）
assurance-none = 消去されていない

caveat-copy-on-write = コピーオンライト方式: 古いブロックがディスクに残り、上書きでは届きません
caveat-compression = 圧縮ファイルシステム: 上書きが古いバイトに届きません
caveat-data-journalled = データジャーナリング: 内容がジャーナルにも書かれます
caveat-network = ネットワークファイルシステム: 書き込み先はサーバが決め、スナップショットが残りえます
caveat-fuse = FUSE ファイルシステム: 書き込み先はプログラムが決めます
caveat-tmpfs = メモリ上のファイルシステム: スワップに書き出された可能性があります
caveat-overlay = オーバーレイ: 下の層の複製には触れません
caveat-flash = フラッシュ媒体（SSD・USB）: ウェアレベリングで古いブロックが残りえます。NISTでは上書きは Clear までです
caveat-journal-names = ファイルシステムのジャーナルに元のファイル名がしばらく残ることがあります
caveat-deleted-entries = 削除したディレクトリ項目に、再利用されるまで名前が残ることがあります
caveat-unknown-fs = 不明なファイルシステム: 上書きの効果は保証できません

warning-hard-linked = { $path } には名前が { $links } 個あります。消去対象外の名前からデータに届くため、触れずに報告します。
warning-mount-point = { $path } は別のファイルシステムのマウント先です。中には入りません。
warning-open-for-writing = { $path } は { $process }（pid { $pid }）が書き込み用に開いています。
warning-system-directory = { $path } はシステムフォルダ内にあります。

problem-permission-denied = 権限がありません
problem-vanished = 消去前になくなりました
problem-changed = 消去中に変更されました
problem-read-only = 読み取り専用のファイルシステムです
problem-hard-linked = 名前が { $links } 個あり、ほかの名前からデータに届きます
problem-not-empty = 消去できなかったものがフォルダに残っています
problem-verify-mismatch = 読み戻した内容が書き込んだ内容と違います（{ $offset } バイト目）
problem-mount-point = 別のファイルシステムがマウントされています
problem-interrupted = 上書きの途中で中断しました（一部だけ上書きされ、消去されていません。同じコマンドをもう一度実行すると完了します）
problem-io = { $step } に失敗しました: { $detail }

refuse-root = ファイルシステムのルートです
refuse-home-directory = ホームフォルダであるか、それを含んでいます
refuse-system-directory = システムフォルダであるか、その中にあるか、それを含んでいます
refuse-tool-home = custody のホーム（鍵、台帳、記録）であるか、それを含んでいます
refuse-open-for-writing = ほかのプログラムが書き込み用に開いています
refuse-mounted-device = デバイスまたはそのパーティションがマウント中か使用中です
refuse-system-disk = 実行中のシステムが入っています
refuse-not-found = 存在しません
refuse-unsupported-type = 消去できる種類のファイル、フォルダ、デバイスではありません
refuse-overlapping = 二重に指定されているか、指定したほかのパスの中にあります
refuse-other = 許可されていません

err-wipe-refused = { $path } は消去しません: { $reason }。
    .hint = 何も変更していません。パスを確認し、デバイスは先にアンマウントしてください。--force は安全に許せる場合に限り拒否を解除します。
err-wipe-failed = 消去を実行できませんでした: { $detail }
    .hint = メッセージを確認してください。ここまでの作業はジャーナルにあり、再実行で続きから行います。
err-wipe-partial = { $total } 件中 { $failed } 件を消去できませんでした。
    .hint = 一覧と消去の記録を確認し、原因（権限、読み取り専用の媒体など）を取り除いて、同じコマンドをもう一度実行してください。
err-confirmation-needed = 消去には確認が必要ですが、確認を求める端末がありません。
    .hint = --dry-run で内容を確認してから、--yes を付けて実行してください。
wipe-device-absent = 媒体が接続されていません。以前の実行で始まったこの媒体の消去は「完了していない」として記録します。消去するには、媒体を接続して同じコマンドをもう一度実行してください。
wipe-label-targets = 指定されたもの:
wipe-target-folder = { $path }（フォルダ: ファイル { $files } 件、{ $size }）
wipe-target-file = { $path }（{ $size }）
wipe-target-more = …ほか { $count } 件
wipe-target-link = { $path }（シンボリックリンク: リンクだけを削除します）
