#!/usr/bin/env bash
# nginx from Debian's packages, the load balancer of the multi-instance failover test
# (tests/Api.IntegrationTests/Reliability/FailoverTests.cs). Usage:
#   scripts/nginx.sh ensure   installs nginx when missing and prints the path of its binary
# The test writes its own nginx.conf and runs that binary itself (nginx -c <conf> -p <dir>).
set -euo pipefail

NGINX=${NGINX:-/usr/sbin/nginx}

case "${1:-}" in
  ensure)
    if [ ! -x "$NGINX" ]; then
      echo "installing nginx" >&2
      if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
      "${sudo[@]}" apt-get update -qq >&2
      # Only the binary is used; the test runs its own nginx with its own configuration and ports.
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends nginx >&2
    fi
    echo "$NGINX"
    ;;
  *)
    echo "usage: $0 ensure" >&2
    exit 2
    ;;
esac
