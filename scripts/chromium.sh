#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when missing, for the Swagger UI browser test
# (the browser comes from the distribution: nothing downloads a browser build of its own).
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi

echo "installing chromium and chromium-driver" >&2
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >&2
