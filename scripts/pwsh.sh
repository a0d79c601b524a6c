#!/usr/bin/env bash
# Runs PowerShell 7 (installed as a .NET tool into .tools/ when missing), for build.ps1 on Linux.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$root/.tools/pwsh" ]; then
  dotnet tool install --tool-path "$root/.tools" PowerShell --version 7.6.9 >&2
fi
exec "$root/.tools/pwsh" -NoLogo -NoProfile "$@"
