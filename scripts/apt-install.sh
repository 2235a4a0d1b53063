#!/usr/bin/env bash
# Install Debian packages for the test suite (CI runs as root; elsewhere sudo is used when present).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: apt-install.sh PACKAGE..." >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
  echo "installing $* needs root (or sudo): install it by hand" >&2; exit 1
fi
echo "Installing $* with apt-get"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
