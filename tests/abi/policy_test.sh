#!/usr/bin/env bash
# Proves the policy abi_compare enforces, on a small stand-in library built
# in variants: additions pass, anything else fails.
#   policy_test.sh SCRATCH_DIR   (CC picks the compiler, default cc)
set -euo pipefail
source "$(dirname "$0")/abi.sh"
scratch=$1
cc=${CC:-cc}
rm -rf "$scratch" && mkdir -p "$scratch/include"

cat >"$scratch/include/demo.h" <<'H'
#include <stdint.h>
typedef struct demo_options {
    uint32_t struct_size;
    uint32_t version;
#ifdef MIDDLE_FIELD
    int32_t inserted;
#endif
    int64_t limit;
#ifdef END_FIELD
    int64_t appended;
#endif
} demo_options;
typedef struct demo_point {
    int64_t x;
    int64_t y;
#ifdef POINT_GREW
    int64_t z;
#endif
} demo_point;
int demo_open(const demo_options *opts);
int demo_plot(const demo_point *point);
#ifdef CHANGED_PARAM
int demo_count(int64_t n);
#else
int demo_count(int32_t n);
#endif
#ifndef REMOVED_FN
int demo_close(void);
#endif
#ifdef ADDED_FN
int demo_extra(void);
#endif
H
cat >"$scratch/demo.c" <<'C'
#include "demo.h"
int demo_open(const demo_options *opts) { return opts->version == 1 ? 0 : -1; }
int demo_plot(const demo_point *point) { return point->x > point->y; }
#ifdef CHANGED_PARAM
int demo_count(int64_t n) { return n > 0; }
#else
int demo_count(int32_t n) { return n > 0; }
#endif
#ifndef REMOVED_FN
int demo_close(void) { return 0; }
#endif
#ifdef ADDED_FN
int demo_extra(void) { return 1; }
#endif
C

# variant NAME [-DMACRO...]: builds and dumps the stand-in library.
variant() {
    local name=$1
    shift
    mkdir -p "$scratch/$name"
    "$cc" -g -Og -shared -fPIC -I"$scratch/include" "$@" "$scratch/demo.c" -o "$scratch/$name/libdemo.so"
    abi_dump "$scratch/$name/libdemo.so" "$scratch/include" "$scratch/$name.abi"
}

variant baseline
failures=0
# expect pass|fail NAME [-DMACRO...]
expect() {
    local want=$1 name=$2
    shift 2
    variant "$name" "$@"
    local got=fail
    if abi_compare "$scratch/baseline.abi" "$scratch/$name.abi" "$scratch/include" >"$scratch/$name.txt" 2>&1; then
        got=pass
    fi
    if [ "$got" = "$want" ]; then
        echo "ok: $name: $got"
    else
        echo "WRONG: $name: abidiff said $got, the policy says $want"
        cat "$scratch/$name.txt"
        failures=$((failures + 1))
    fi
}

expect pass unchanged
expect pass added_function -DADDED_FN
expect pass versioned_struct_grew_at_end -DEND_FIELD
expect pass both_additions -DADDED_FN -DEND_FIELD
expect fail removed_function -DREMOVED_FN
expect fail changed_parameter -DCHANGED_PARAM
expect fail versioned_struct_field_in_middle -DMIDDLE_FIELD
expect fail plain_struct_grew -DPOINT_GREW
expect fail removed_while_adding -DREMOVED_FN -DADDED_FN
echo "$((9 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
