lang-name = English
test-greeting = Hello, { $name }
