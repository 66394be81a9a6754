"""Browser tests: the pages in real headless Chromium (Debian's `chromium`), phone and laptop width.

`tests.browser_support` starts the app under a real server and drives Chromium through
Playwright; a missing browser fails the test with CI=true and skips it elsewhere.
"""
