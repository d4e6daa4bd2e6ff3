#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
# Installs it when missing and we are root with apt; otherwise the browser tests skip and say why
# (CI sets CXGAP_REQUIRE_BROWSER=1, which turns that skip into a failure).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
else
  echo "Chromium is missing (/usr/bin/chromium) and cannot be installed here: browser tests will skip."
fi
