# Messages of `ledger checkpoint`, `ledger cosign` and `ledger prove`. Keep the ids in the same order in ja and en.

help-ledger-checkpoint = 自分の台帳の件数とマークルルートにチェックポイントとして署名する（区が副署するため）
help-ledger-checkpoint-out = チェックポイントを書き出すファイル（既定: 標準出力）。既存のファイルは置き換えません
help-ledger-cosign = 区として: 委託先のチェックポイントと台帳の写しを、前回副署したチェックポイントと照合し、副署する
help-ledger-cosign-checkpoint = 委託先のチェックポイントのファイル
help-ledger-cosign-ledger = 委託先の台帳の写し
help-ledger-cosign-trust = 委託先の公開鍵（minisign .pub）。初回に必要で、以後は保管されます
help-ledger-cosign-out = 副署したチェックポイントの書き出し先（既定: チェックポイントのファイルに上書き）
help-ledger-prove = 台帳（またはそのチェックポイント）に一つの記録が含まれていることの包含証明
help-ledger-prove-seq = 記録の番号（seq。最初の行が0）
help-ledger-prove-checkpoint = このチェックポイントに対して証明する（既定: 現在の台帳）

checkpoint-made = チェックポイントに署名しました: 記録 { $entries } 件。
checkpoint-label-origin = 台帳の識別名（origin）
checkpoint-label-file = チェックポイントのファイル
checkpoint-next = 次に: チェックポイントと台帳の写しを区に渡してください。区が `custody ledger cosign` を実行します。
cosign-checked = 確認しました: { $origin } のチェックポイント（記録 { $entries } 件）は信頼する鍵で署名され、台帳のすべての行と一致し、前回副署した内容に続いています。
cosign-done = 副署しました: 記録 { $entries } 件。
cosign-label-cosigner = 副署者
cosign-first = この台帳の最初のチェックポイントです。委託先の鍵をホームに保管しました。今後のチェックポイントはこれに続いていなければなりません。
cosign-consistent = 前回副署した記録 { $previous } 件に続いています（整合性証明を確認済み）。
prove-done = 記録 { $seq } は記録 { $entries } 件の台帳に含まれています。
prove-label-kind = 種類
prove-label-time = 日時
prove-label-leaf = リーフハッシュ
prove-against-checkpoint = 証明は指定されたチェックポイントに対するものです。チェックポイントを持つ人は誰でも `--json` の証明で記録を確認できます。
prove-against-ledger = 証明は現在の台帳に対するものです。区が副署したチェックポイントに対して証明するには --checkpoint を指定してください。
event-kind-init = 台帳の開始（init）
event-kind-sealed = 暗号化して媒体に書き込み（sealed）
event-kind-opened = 作業フォルダに復号（opened）
event-kind-erased = 消去（erased）
event-kind-certified = 消去証明書の発行（certified）
checkpoint-no-proof = （なし: 保管されているチェックポイントより小さいため）

checkpoint-problem-note = 署名付きノートの形式ではありません
checkpoint-problem-body = 本文がチェックポイント（識別名、件数、ルート）ではありません
checkpoint-problem-key = 含まれる鍵を読めません
checkpoint-problem-proof = 証明が所定の形式ではありません
checkpoint-problem-other = 読み取れません

err-not-a-file = { $path } は通常のファイルではありません。
    .hint = フォルダ、リンク、デバイスではなく、ファイルそのもののパスを指定してください。
err-file-too-large = { $path } は { $size } より大きく、チェックポイントではありません。
    .hint = 正しいファイルを指定したか確認してください。
err-checkpoint-invalid = チェックポイント { $path } を受け付けませんでした: { $detail }。
    .hint = `custody ledger checkpoint` が書き出したままのチェックポイントのファイルを、もう一度受け取ってください。
err-checkpoint-untrusted = チェックポイント { $path } は { $origin } について信頼する鍵で署名されていません。
    .hint = どの鍵で署名したか委託先に確認してください。何も保管していません。
err-witness-no-trust = { $origin } のチェックポイントに副署したことがないため、信頼する鍵がまだありません。
    .hint = 委託先の公開鍵（custody key export）を信頼できる経路で受け取り、--trust KEY.pub で指定してください。
err-witness-key-mismatch = { $origin } は鍵 { $pinned } で保管されていますが、指定された鍵は { $given } です。
    .hint = 台帳の鍵は変わりません。委託先が本当に鍵を変えたのであれば、事故として扱い理由を確認してください。何も保管していません。
err-checkpoint-mismatch = チェックポイントはこの台帳のものではありません: チェックポイントは記録 { $checkpoint_size } 件（ルート { $checkpoint_root }）、台帳は { $ledger_size } 件（ルート { $ledger_root }）です。
    .hint = 台帳の写しと、それから作ったチェックポイントを同時に受け取ってください。何も保管していません。
err-checkpoint-inconsistent = 拒否しました: { $origin } のこのチェックポイントは、前回副署したものと整合しません。台帳が書き換えられたか、分岐しています。
    保管しているもの（記録 { $stored_size } 件）:
    { $stored }
    提出されたもの（記録 { $submitted_size } 件）:
    { $submitted }
    提出された台帳からの整合性証明（保管しているルートに至りません）:
    { $proof }
    .hint = 両方のチェックポイントと台帳の写しを証拠として保管し、事故として扱ってください。保管しているチェックポイントは変更していません。
err-checkpoint-smaller = 拒否しました: { $origin } のこのチェックポイントは記録 { $submitted_size } 件で、前回副署した { $stored_size } 件より少なくなっています。台帳が切り詰められています。
    保管しているもの（記録 { $stored_size } 件）:
    { $stored }
    提出されたもの（記録 { $submitted_size } 件）:
    { $submitted }
    整合性証明: { $proof }
    .hint = 両方のチェックポイントと台帳の写しを証拠として保管し、事故として扱ってください。保管しているチェックポイントは変更していません。
err-entry-not-found = 記録 { $seq } はありません: 台帳（またはチェックポイント）の記録は { $size } 件で、番号は0から始まります。
    .hint = `custody ledger verify --json` で件数を確認してください。
err-proof-malformed = マークル証明を読み取れませんでした。custody が書き出す形式ではありません。
    .hint = `custody ledger prove` で証明を作り直し、そのまま渡してください。
err-ledger-bad-body = custody が、種類 { $kind } の記録を、その種類の内容ではない本文で書こうとしました。何も追記していません。
    .hint = custody の不具合です。実行したコマンドを添えて報告してください。
ledger-problem-bad-body = この { $key } の記録の本文が、その種類の内容になっていません
