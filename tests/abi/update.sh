#!/usr/bin/env bash
# Regenerates the ABI baseline tests/abi/liblead.abi from the current source.
# Run it when a release adds API (docs/abi.md), after check.sh has passed.
set -euo pipefail
source "$(dirname "$0")/abi.sh"
abi_build
abi_dump "$abi_build_dir/liblead.so" "$abi_root/include" "$abi_root/tests/abi/liblead.abi"
echo "abi: baseline tests/abi/liblead.abi regenerated; review and commit it"
