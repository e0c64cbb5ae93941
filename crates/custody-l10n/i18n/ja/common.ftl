lang-name = 日本語
test-greeting = こんにちは、{ $name }
