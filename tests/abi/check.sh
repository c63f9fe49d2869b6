#!/usr/bin/env bash
# Rebuilds liblead.so with debug info and fails unless its ABI only adds to
# the committed baseline tests/abi/liblead.abi (see docs/abi.md).
set -euo pipefail
source "$(dirname "$0")/abi.sh"
abi_build
abi_dump "$abi_build_dir/liblead.so" "$abi_root/include" "$abi_build_dir/liblead.abi"
if abi_compare "$abi_root/tests/abi/liblead.abi" "$abi_build_dir/liblead.abi" "$abi_root/include"; then
    echo "abi: liblead.so only adds to tests/abi/liblead.abi"
else
    echo "abi: liblead.so breaks the ABI of tests/abi/liblead.abi (see above and docs/abi.md)" >&2
    exit 1
fi
