# Shared by check.sh, update.sh and policy_test.sh: how liblead's ABI is
# built, dumped and compared. Source it; do not run it.

# The repository root and the build directory the ABI scripts use.
abi_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
abi_build_dir=${ABI_BUILD_DIR:-$abi_root/build/abi}

# Builds liblead.so with full debug info and little optimisation, so that
# every public type and function is described in DWARF.
abi_build() {
    cmake -S "$abi_root" -B "$abi_build_dir" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS_DEBUG="-g -Og" -DLEAD_BUILD_TESTS=OFF -DLEAD_BUILD_EXAMPLES=OFF \
        -DLEAD_BUILD_BENCH=OFF -DLEAD_BUILD_STATIC=OFF >/dev/null
    cmake --build "$abi_build_dir" --target lead_shared -j 2 >/dev/null
}

# abi_dump LIB HEADERS_DIR OUT: the ABI of LIB as seen through the public
# headers, without paths of this machine (so the baseline is portable).
abi_dump() {
    abidw --headers-dir "$2" --no-corpus-path --no-comp-dir-path --short-locs \
        --drop-undefined-syms --out-file "$3" "$1"
}

# versioned_structs HEADERS_DIR: the names of the structs whose first two
# members are `uint32_t struct_size; uint32_t version;`.
versioned_structs() {
    find "$1" -name '*.h' -exec awk '
        /^(typedef )?struct [A-Za-z0-9_]+ \{/ {
            name = $0; sub(/^(typedef )?struct /, "", name); sub(/ .*/, "", name)
            getline first; getline second
            if (first ~ /^ *uint32_t struct_size;/ && second ~ /^ *uint32_t version;/) print name
        }' {} + | sort -u
}

# abi_suppressions HEADERS_DIR OUT: lets exactly the versioned structs grow
# at their end (docs/abi.md); any other struct change stays reported.
abi_suppressions() {
    : >"$2"
    local name
    for name in $(versioned_structs "$1"); do
        printf '[suppress_type]\n  type_kind = struct\n  name = %s\n  has_data_member_inserted_at = end\n\n' \
            "$name" >>"$2"
    done
}

# abi_compare OLD NEW HEADERS_DIR: succeeds when NEW only adds to OLD. Added
# functions and variables are not reported, versioned structs may grow at
# their end; anything else abidiff reports (removed or changed functions,
# types that changed layout) fails.
abi_compare() {
    local suppressions
    suppressions=$(mktemp)
    abi_suppressions "$3" "$suppressions"
    local rc=0
    abidiff --no-added-syms --suppressions "$suppressions" "$1" "$2" || rc=$?
    rm -f "$suppressions"
    # abidiff 2.2 has been seen to crash (rather than report) when a struct
    # that was only declared in OLD is defined in NEW; say so, and fail.
    if [ "$rc" -ge 128 ]; then
        echo "abi: abidiff crashed (status $rc); compare by hand without --suppressions" >&2
    fi
    return "$rc"
}
