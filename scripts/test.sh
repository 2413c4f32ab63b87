#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: it installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

# python3 is the reference the tests compare sockscope with; getent reads the system's databases.
missing=()
need python3 || missing+=(python3)
need getent || missing+=(libc-bin)
need script || missing+=(bsdutils) # script(1) gives a test a terminal
# The resolver lab (tests/lab) builds private namespaces with these; it skips loudly without them
# unless SOCKSCOPE_LAB_REQUIRED=1.
need unshare || missing+=(util-linux)
need mount || missing+=(mount)
need ip || missing+=(iproute2)
need hostname || missing+=(hostname)
[ -e /etc/services ] && [ -e /etc/protocols ] || missing+=(netbase)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && need apt-get; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else
    echo "scripts/test.sh: please install: ${missing[*]}" >&2
    exit 1
  fi
fi

cargo test --locked "$@"
