#!/usr/bin/env bash
# The app's end-to-end test drives Debian's Chromium through its ChromeDriver.
# Installs both when missing (as root, from Debian's packages); otherwise says what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "the browser test needs Debian's chromium and chromium-driver: sudo apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
