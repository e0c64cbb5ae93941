# Messages of `custody open`. Keep the ids in the same order in ja and en.

open-progress = 復号中
open-done = 復号しました。ファイルは本人だけが使える作業フォルダにあります。
open-next = このフォルダ内だけで作業し、ほかへ複製しないでください。契約終了時は `custody wipe` で消去してください。

err-wrong-passphrase = この暗号化データのパスワードが違います。
    .hint = 通知書がこの暗号化データのものか（暗号化データIDと照合コード）を確かめて、もう一度入力してください。
err-dest-not-empty = 作業フォルダ { $path } は既にあり、空ではありません。
    .hint = --dest で新しいフォルダを指定してください。既存のファイルと混ぜることはありません。
err-label-mismatch = 暗号化データがラベルと一致しません（{ $field }）。
    .hint = 破損しているか、差し替えられた可能性があります。使わずに送付元へ連絡してください。
err-label-invalid = ラベル { $path } は custody のラベルとして正しくありません: { $detail }
    .hint = ラベルが破損しているか、差し替えられた可能性があります。使わずに送付元へ連絡してください。
err-unsafe-entry = 暗号化データに許可されない項目があります: { $entry }（{ $detail }）
    .hint = 何も展開していません。送付元へ連絡してください。
err-manifest-mismatch = 暗号化データの中身がマニフェストと一致しません: { $entry }（{ $detail }）
    .hint = 何も展開していません。送付元へ連絡してください。
err-payload-truncated = 暗号化データが途中で切れています。
    .hint = 何も展開していません。媒体からもう一度コピーするか、送付元に再送を依頼してください。
err-payload-corrupted = 暗号化データが破損しています。
    .hint = 何も展開していません。媒体からもう一度コピーするか、送付元に再送を依頼してください。
err-not-a-payload = このファイルは custody の暗号化データではありません。
    .hint = 媒体上の .age ファイルを指定してください。
err-not-passphrase-payload = この age ファイルはパスワード通知書のパスワードで保護されていません。
    .hint = custody は `custody seal` で作られた暗号化データを開きます。作成したツールで開いてください。
err-work-factor = この暗号化データは、安全に許容できる以上の鍵導出処理を要求しています。
    .hint = custody で作られたものではありません。送付元に確認してください。
err-open-failed = 復号に失敗しました: { $detail }
    .hint = 何も展開していません。

# 許可されない項目の種類と、マニフェストとの違い（上の { $detail }）。
open-unsafe-path = 安全でないパス（絶対パス、「..」、保存できない文字など）
open-unsafe-symlink = シンボリックリンク
open-unsafe-hardlink = ハードリンク
open-unsafe-device = デバイスファイル
open-unsafe-fifo = 名前付きパイプ
open-unsafe-other-type = 対応していない種類の項目
open-unsafe-duplicate = 同じ名前が二度現れます
open-unsafe-case-duplicate = 大文字・小文字の違いだけの同名があります
open-unsafe-parent = 親フォルダが先に宣言されていません
open-unsafe-pax = 対応していない tar 拡張ヘッダー
open-unsafe-smuggling = 一つの項目に矛盾する二つの名前
open-unsafe-extension-size = 大きすぎる拡張ヘッダー
open-unsafe-dir-data = データを持つフォルダ項目
open-unsafe-after-manifest = マニフェストの後ろにある項目
open-unsafe-header-format = 不明な tar ヘッダー形式
open-mismatch-missing = マニフェストにあるのに中身にありません
open-mismatch-extra = 中身にあるのにマニフェストにありません
open-mismatch-size = サイズがマニフェストと違います
open-mismatch-sha256 = 内容がマニフェストと違います（SHA-256）

label-problem-too-large = ラベルとしては大きすぎます
label-problem-not-a-label = ラベルの形式ではありません（{ $line } 行目、{ $column } 文字目）
label-problem-format = 形式 { $format } のバージョン { $v } で、この custody では読めません
label-problem-not-canonical = custody が書いたとおりの内容ではありません（編集された可能性があります）
label-problem-field = 項目 { $field } が1行のテキストではありません
