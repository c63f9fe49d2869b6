"""liblead driven from Python through ctypes (standard library only).

The engine's clock, allocator and store are Python objects: C calls back
into Python, and the `user` pointer carries a handle to the Python object.
Run with LEAD_LIBRARY=/path/to/liblead.so LEAD_INCLUDE_DIR=/path/to/include.
Each concept of the API is one test method of Scenario; add new concepts the
same way.
"""
import ctypes
import itertools
import os
import re
import unittest

LEAD_OK = 0
LEAD_EINVAL = -1
LEAD_ENOTFOUND = -3
LEAD_EEXISTS = -4
LEAD_ESTORE = -5
LEAD_ECLOCK = -6
LEAD_ELIMIT = -7
LEAD_ESTATE = -9
LEAD_ITEROVER = -10
LEAD_ECANCELED = -15
LEAD_STAGE_SUBSCRIBER = 0
LEAD_STAGE_LEAD = 1
LEAD_STAGE_SQL = 3
LEAD_REASON_CREATED = 0
LEAD_REASON_EVENT = 2
LEAD_REASON_THRESHOLD = 3
LEAD_FIELD_EMAIL = 0
LEAD_FIELD_PHONE = 3
LEAD_FIELD_JOB_TITLE = 5
LEAD_FIELD_INDUSTRY = 6
LEAD_ATTR_STRING = 0
LEAD_EVENT_CONTENT = 3
LEAD_TIME_UNKNOWN = -(2 ** 63)
LEAD_ATTRIBUTION_LINEAR = 5
LEAD_ATTRIBUTION_U_SHAPED = 6
T0 = 1767225600000  # 2026-01-01T00:00:00Z, the epoch the C tests use

lib = ctypes.CDLL(os.environ["LEAD_LIBRARY"])
libc = ctypes.CDLL(None)


# ---- the C declarations ---------------------------------------------------

MALLOC_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
REALLOC_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
FREE_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
NOW_MS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64))
PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)

_u64, _i64, _size, _void_p, _str = (ctypes.c_uint64, ctypes.c_int64, ctypes.c_size_t,
                                    ctypes.c_void_p, ctypes.c_char_p)
_out_bytes, _out_len = ctypes.POINTER(_void_p), ctypes.POINTER(_size)
CONTACT_FN = ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64)
EVENT_FN = ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _i64, _void_p, _size)
# The lead_store slots in declaration order: (name, prototype).
STORE_SLOTS = [
    ("contact_put", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64, _str, _str, _void_p, _size)),
    ("contact_get", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64, _out_bytes, _out_len)),
    ("contact_delete", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64)),
    ("contact_find_email", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _str, ctypes.POINTER(_u64))),
    ("contact_find_external", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _str,
                                               ctypes.POINTER(_u64))),
    ("contact_scan", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, CONTACT_FN, _void_p)),
    ("event_append", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64, _i64, _str, _void_p, _size)),
    ("event_scan", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _u64, _i64, EVENT_FN, _void_p)),
    ("event_find_key", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _str)),
    ("meta_put", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _str, _void_p, _size)),
    ("meta_get", ctypes.CFUNCTYPE(ctypes.c_int, _void_p, _str, _out_bytes, _out_len)),
    ("begin", ctypes.CFUNCTYPE(ctypes.c_int, _void_p)),
    ("commit", ctypes.CFUNCTYPE(ctypes.c_int, _void_p)),
    ("rollback", ctypes.CFUNCTYPE(ctypes.c_int, _void_p)),
]


class lead_allocator(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("user", ctypes.c_void_p), ("malloc_fn", MALLOC_FN),
                ("realloc_fn", REALLOC_FN), ("free_fn", FREE_FN)]


class lead_clock(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("user", ctypes.c_void_p), ("now_ms", NOW_MS_FN)]


class lead_store(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("user", ctypes.c_void_p)] + STORE_SLOTS


class lead_event_input(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("contact_id", ctypes.c_uint64), ("type", ctypes.c_int32),
                ("channel", ctypes.c_int32), ("time_ms", ctypes.c_int64),
                ("value_minor", ctypes.c_int64), ("currency", ctypes.c_char_p),
                ("source", ctypes.c_char_p), ("medium", ctypes.c_char_p),
                ("campaign", ctypes.c_char_p), ("content", ctypes.c_char_p),
                ("idempotency_key", ctypes.c_char_p)]


class lead_score_item(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("kind", ctypes.c_int32), ("rule", ctypes.c_uint32), ("subject", ctypes.c_char_p),
                ("event_index", ctypes.c_uint64), ("event_time", ctypes.c_int64),
                ("raw", ctypes.c_int64), ("value", ctypes.c_int64)]


class lead_engine_options(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("allocator", ctypes.POINTER(lead_allocator)),
                ("clock", ctypes.POINTER(lead_clock)), ("store", ctypes.POINTER(lead_store))]


def declare(name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype, fn.argtypes = restype, list(argtypes)


engine_p = ctypes.c_void_p
set_p = ctypes.c_void_p
model_p = ctypes.c_void_p
result_p = ctypes.c_void_p
c_double_p = ctypes.POINTER(ctypes.c_double)
declare("lead_version_string", ctypes.c_char_p)
declare("lead_version_number", ctypes.c_int)
declare("lead_strerror", ctypes.c_char_p, ctypes.c_int)
declare("lead_allocator_init", ctypes.c_int, ctypes.POINTER(lead_allocator), ctypes.c_uint32)
declare("lead_clock_init", ctypes.c_int, ctypes.POINTER(lead_clock), ctypes.c_uint32)
declare("lead_engine_options_init", ctypes.c_int, ctypes.POINTER(lead_engine_options), ctypes.c_uint32)
declare("lead_engine_new", ctypes.c_int, ctypes.POINTER(engine_p), ctypes.POINTER(lead_engine_options))
declare("lead_engine_free", None, engine_p)
declare("lead_engine_errmsg", ctypes.c_char_p, engine_p)
declare("lead_engine_now", ctypes.c_int, engine_p, ctypes.POINTER(ctypes.c_int64))
declare("lead_store_init", ctypes.c_int, ctypes.POINTER(lead_store), ctypes.c_uint32)
declare("lead_event_input_init", ctypes.c_int, ctypes.POINTER(lead_event_input), ctypes.c_uint32)
contact_p = ctypes.c_void_p
iter_p = ctypes.c_void_p
event_p = ctypes.c_void_p
c_int_p = ctypes.POINTER(ctypes.c_int)
c_u64_p = ctypes.POINTER(ctypes.c_uint64)
c_i64_p = ctypes.POINTER(ctypes.c_int64)
c_str_p = ctypes.POINTER(ctypes.c_char_p)
declare("lead_contact_create", ctypes.c_int, engine_p, c_u64_p, ctypes.c_char_p, ctypes.c_char_p,
        ctypes.c_int)
declare("lead_contact_set_field", ctypes.c_int, engine_p, ctypes.c_uint64, ctypes.c_int,
        ctypes.c_char_p)
declare("lead_contact_set_attr", ctypes.c_int, engine_p, ctypes.c_uint64, ctypes.c_char_p,
        ctypes.c_int, ctypes.c_int64, ctypes.c_double, ctypes.c_char_p)
declare("lead_contact_find_email", ctypes.c_int, engine_p, c_u64_p, ctypes.c_char_p)
declare("lead_contact_find_external", ctypes.c_int, engine_p, c_u64_p, ctypes.c_char_p)
declare("lead_contact_get", ctypes.c_int, ctypes.POINTER(contact_p), engine_p, ctypes.c_uint64)
declare("lead_contact_free", None, contact_p)
declare("lead_contact_field", ctypes.c_int, contact_p, ctypes.c_int, c_str_p)
declare("lead_contact_stage", ctypes.c_int, contact_p, c_int_p)
declare("lead_contact_event_count", ctypes.c_int, contact_p, c_u64_p)
declare("lead_contact_stage_history_count", ctypes.c_int, contact_p,
        ctypes.POINTER(ctypes.c_size_t))
declare("lead_contact_stage_history_at", ctypes.c_int, contact_p, ctypes.c_size_t, c_int_p,
        c_i64_p, c_i64_p, c_int_p, c_u64_p)
declare("lead_contact_attr_count", ctypes.c_int, contact_p, ctypes.POINTER(ctypes.c_size_t))
declare("lead_contact_attr_at", ctypes.c_int, contact_p, ctypes.c_size_t, c_str_p, c_int_p,
        c_i64_p, c_double_p, c_str_p)
declare("lead_track", ctypes.c_int, engine_p, c_u64_p, ctypes.POINTER(lead_event_input))
declare("lead_track_batch", ctypes.c_int, engine_p, ctypes.POINTER(lead_event_input),
        ctypes.c_size_t, ctypes.c_size_t, c_u64_p, ctypes.POINTER(ctypes.c_size_t))
declare("lead_event_iter_new", ctypes.c_int, ctypes.POINTER(iter_p), engine_p, ctypes.c_uint64,
        ctypes.c_int64)
declare("lead_event_iter_next", ctypes.c_int, iter_p, ctypes.POINTER(event_p))
declare("lead_event_iter_free", None, iter_p)
declare("lead_event_ids", ctypes.c_int, event_p, c_u64_p, c_u64_p, c_int_p, c_int_p)
declare("lead_event_time", ctypes.c_int, event_p, c_i64_p)
declare("lead_event_string", ctypes.c_int, event_p, ctypes.c_int, c_str_p)
declare("lead_event_type_name", ctypes.c_char_p, ctypes.c_int)
declare("lead_channel_name", ctypes.c_char_p, ctypes.c_int)
declare("lead_event_type_from_name", ctypes.c_int, ctypes.c_char_p, c_int_p)
declare("lead_channel_from_name", ctypes.c_int, ctypes.c_char_p, c_int_p)
declare("lead_journey_set_new", ctypes.c_int, ctypes.POINTER(set_p), ctypes.POINTER(lead_allocator))
declare("lead_journey_set_free", None, set_p)
declare("lead_journey_set_errmsg", ctypes.c_char_p, set_p)
declare("lead_journey_set_begin", ctypes.c_int, set_p)
declare("lead_journey_set_add_touch", ctypes.c_int, set_p, ctypes.c_char_p, ctypes.c_char_p,
        ctypes.c_int64, ctypes.c_uint32)
declare("lead_journey_set_end", ctypes.c_int, set_p, ctypes.c_double, ctypes.c_double,
        ctypes.c_double, ctypes.c_int64)
declare("lead_attribution_model_new", ctypes.c_int, ctypes.POINTER(model_p), ctypes.c_uint32,
        ctypes.POINTER(lead_allocator))
declare("lead_attribution_model_free", None, model_p)
declare("lead_attribution_model_errmsg", ctypes.c_char_p, model_p)
declare("lead_attribution_run", ctypes.c_int, ctypes.POINTER(result_p), model_p, set_p)
declare("lead_attribution_result_free", None, result_p)
declare("lead_attribution_result_totals", ctypes.c_int, result_p, c_double_p, c_double_p,
        c_double_p, c_double_p)
declare("lead_attribution_result_channel_by_name", ctypes.c_int, result_p, ctypes.c_char_p,
        c_double_p, c_double_p)
declare("lead_stage_name", ctypes.c_char_p, ctypes.c_int)
declare("lead_score_model_new", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(lead_allocator))
declare("lead_score_model_free", None, ctypes.c_void_p)
declare("lead_score_model_parse", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t)
declare("lead_score_model_error", ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32),
        ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_char_p))
declare("lead_score_subject_new", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(lead_allocator))
declare("lead_score_subject_free", None, ctypes.c_void_p)
declare("lead_score_subject_set", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p)
declare("lead_score_subject_add_event", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int64)
declare("lead_score_subject_add_property", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
        ctypes.c_char_p)
declare("lead_score_evaluate", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p,
        ctypes.c_void_p, ctypes.c_int64)
declare("lead_score_result_free", None, ctypes.c_void_p)
declare("lead_score_result_scores", ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64),
        ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_int64))
declare("lead_score_result_grade", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)
declare("lead_score_result_bant", ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32))
declare("lead_score_result_stage", ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32),
        ctypes.POINTER(ctypes.c_size_t))
declare("lead_score_result_item_count", ctypes.c_int, ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_size_t))
declare("lead_score_item_init", ctypes.c_int, ctypes.POINTER(lead_score_item), ctypes.c_uint32)
declare("lead_score_result_item", ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t,
        ctypes.POINTER(lead_score_item))
declare("lead_engine_score_attach", ctypes.c_int, engine_p, ctypes.c_char_p, ctypes.c_void_p)
declare("lead_engine_score_detach", ctypes.c_int, engine_p, ctypes.c_char_p)
declare("lead_engine_score_count", ctypes.c_int, engine_p, ctypes.POINTER(ctypes.c_size_t))
declare("lead_engine_score_name", ctypes.c_int, engine_p, ctypes.c_size_t, c_str_p)
declare("lead_engine_score", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), engine_p,
        ctypes.c_char_p, ctypes.c_uint64, ctypes.c_int64)
declare("lead_engine_rescore", ctypes.c_int, engine_p, ctypes.c_char_p, PROGRESS_FN,
        ctypes.c_void_p)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.realloc.restype, libc.realloc.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_size_t]
libc.free.restype, libc.free.argtypes = None, [ctypes.c_void_p]


# ---- handles: what the C `user` pointer carries ---------------------------

_objects = {}
_next_handle = itertools.count(1)


def new_handle(obj):
    handle = next(_next_handle)
    _objects[handle] = obj
    return handle


def from_handle(user):
    return _objects[user]


def drop_handle(handle):
    del _objects[handle]


# ---- the Python side of the callbacks -------------------------------------

class Clock:
    """A clock the test sets by hand; fail_with != 0 makes reads fail."""

    def __init__(self, now_ms):
        self.now_ms = now_ms
        self.fail_with = 0
        self.reads = 0


class Allocator:
    """libc memory, counted per engine."""

    def __init__(self):
        self.live = set()
        self.calls = 0

    def malloc(self, size):
        self.calls += 1
        p = libc.malloc(size)
        if p:
            self.live.add(p)
        return p

    def realloc(self, ptr, size):
        self.calls += 1
        p = libc.realloc(ptr, size)
        if p:
            self.live.discard(ptr)
            self.live.add(p)
        return p

    def free(self, ptr):
        if ptr:
            self.live.discard(ptr)
        libc.free(ptr)


@NOW_MS_FN
def _clock_now(user, out_ms):
    clock = from_handle(user)
    clock.reads += 1
    if clock.fail_with:
        return clock.fail_with
    out_ms[0] = clock.now_ms
    return 0


@MALLOC_FN
def _malloc(user, size):
    return from_handle(user).malloc(size)


@REALLOC_FN
def _realloc(user, ptr, size):
    return from_handle(user).realloc(ptr, size)


@FREE_FN
def _free(user, ptr):
    from_handle(user).free(ptr)


@PROGRESS_FN
def _rescore_progress(user, done, total):
    """Asks the Python function behind user whether to go on; an exception
    stops the rescore and is kept for Engine.rescore to raise once C has
    returned (it must not unwind through the engine's frames)."""
    call = from_handle(user)
    try:
        return 1 if call["progress"](done, total) else 0
    except BaseException as exc:  # noqa: B036 - ctypes would only print it
        call["error"] = exc
        return 1


class Store:
    """The engine's store as Python dicts: contacts with their email and
    external-id indexes, events per contact, idempotency keys and meta
    records, with transactions kept as a snapshot to restore on rollback.
    fail = {slot: code} makes that slot fail without changing anything."""

    def __init__(self):
        self.contacts, self.emails, self.externals, self.keys_of = {}, {}, {}, {}
        self.events, self.idem_keys, self.meta = {}, set(), {}
        self.fail = {}
        self.calls = {name: 0 for name, _ in STORE_SLOTS}
        self.errors = []   # exceptions raised inside callbacks, re-raised by the test
        self._undo = None
        self._lent = None  # the buffer the engine borrows until its next call

    def state(self):
        """Everything the store holds, as plain values to compare."""
        return (dict(self.contacts), dict(self.emails), dict(self.externals),
                {cid: list(evs) for cid, evs in self.events.items()},
                set(self.idem_keys), dict(self.meta))

    def _restore(self, state):
        (self.contacts, self.emails, self.externals, self.events, self.idem_keys,
         self.meta) = state
        self.keys_of = {}
        for key, cid in self.emails.items():
            self.keys_of.setdefault(cid, [None, None])[0] = key
        for key, cid in self.externals.items():
            self.keys_of.setdefault(cid, [None, None])[1] = key

    def _lend(self, data, out_bytes, out_len):
        self._lent = ctypes.create_string_buffer(data, len(data))
        out_bytes[0] = ctypes.addressof(self._lent)
        out_len[0] = len(data)
        return LEAD_OK

    def contact_put(self, cid, email, external, data, size):
        old_email, old_external = self.keys_of.pop(cid, (None, None))
        self.emails.pop(old_email, None)
        self.externals.pop(old_external, None)
        self.contacts[cid] = ctypes.string_at(data, size)
        if email is not None:
            self.emails[email] = cid
        if external is not None:
            self.externals[external] = cid
        self.keys_of[cid] = [email, external]
        return LEAD_OK

    def contact_get(self, cid, out_bytes, out_len):
        if cid not in self.contacts:
            return LEAD_ENOTFOUND
        return self._lend(self.contacts[cid], out_bytes, out_len)

    def contact_delete(self, cid):
        if cid not in self.contacts:
            return LEAD_ENOTFOUND
        del self.contacts[cid]
        email, external = self.keys_of.pop(cid, (None, None))
        self.emails.pop(email, None)
        self.externals.pop(external, None)
        self.events.pop(cid, None)   # the idempotency keys stay
        return LEAD_OK

    def contact_find_email(self, email, out_id):
        return self._find(self.emails, email, out_id)

    def contact_find_external(self, external, out_id):
        return self._find(self.externals, external, out_id)

    @staticmethod
    def _find(index, key, out_id):
        if key not in index:
            return LEAD_ENOTFOUND
        out_id[0] = index[key]
        return LEAD_OK

    def contact_scan(self, fn, scan_user):
        for cid in sorted(self.contacts):
            if fn(scan_user, cid):
                break
        return LEAD_OK

    def event_append(self, cid, time_ms, idem_key, data, size):
        self.events.setdefault(cid, []).append((time_ms, ctypes.string_at(data, size)))
        if idem_key is not None:
            self.idem_keys.add(idem_key)
        return LEAD_OK

    def event_scan(self, cid, from_ms, fn, scan_user):
        # sorted() is stable: equal times stay in append order.
        for time_ms, data in sorted(self.events.get(cid, []), key=lambda ev: ev[0]):
            if time_ms < from_ms:
                continue
            buf = ctypes.create_string_buffer(data, len(data))  # alive during the call
            if fn(scan_user, time_ms, ctypes.addressof(buf), len(data)):
                break
        return LEAD_OK

    def event_find_key(self, idem_key):
        return LEAD_OK if idem_key in self.idem_keys else LEAD_ENOTFOUND

    def meta_put(self, key, data, size):
        self.meta[key] = ctypes.string_at(data, size)
        return LEAD_OK

    def meta_get(self, key, out_bytes, out_len):
        if key not in self.meta:
            return LEAD_ENOTFOUND
        return self._lend(self.meta[key], out_bytes, out_len)

    def begin(self):
        self._undo = self.state()
        return LEAD_OK

    def commit(self):
        self._undo = None
        return LEAD_OK

    def rollback(self):
        self._restore(self._undo)
        self._undo = None
        return LEAD_OK


STORE_BUG = 1000  # what a callback returns when its Python code raised


def _store_slot(name, proto):
    """The C callback of one slot: finds the Store behind `user`, applies the
    injected failure, and never lets a Python exception unwind into C."""

    def slot(user, *args):
        store = from_handle(user)
        store.calls[name] += 1
        if name in store.fail:
            return store.fail[name]
        try:
            return getattr(store, name)(*args)
        except BaseException as exc:  # noqa: B036 - ctypes would only print it
            store.errors.append(exc)
            return STORE_BUG

    return proto(slot)


# Module level, so that the callbacks live as long as the process.
_STORE_CALLBACKS = [(name, _store_slot(name, proto)) for name, proto in STORE_SLOTS]


# ---- a thin binding ---------------------------------------------------------

class LeadError(Exception):
    def __init__(self, code, detail):
        self.code = code
        self.detail = detail
        super().__init__("%s: %s" % (strerror(code), detail))


def strerror(code):
    return lib.lead_strerror(code).decode()


def c_allocator(handle):
    """The lead_allocator whose hooks reach the Python allocator behind handle."""
    alloc = lead_allocator()
    lib.lead_allocator_init(alloc, ctypes.sizeof(alloc))
    alloc.user = handle
    alloc.malloc_fn, alloc.realloc_fn, alloc.free_fn = _malloc, _realloc, _free
    return alloc


def c_store(handle):
    """The lead_store whose slots reach the Python store behind handle."""
    table = lead_store()
    lib.lead_store_init(table, ctypes.sizeof(table))
    table.user = handle
    for name, callback in _STORE_CALLBACKS:
        setattr(table, name, callback)
    return table


class Engine:
    """An engine whose clock, allocator and store live in Python."""

    def __init__(self, clock, allocator, store):
        self._handles = [new_handle(clock), new_handle(allocator), new_handle(store)]
        self._clock = lead_clock()
        lib.lead_clock_init(self._clock, ctypes.sizeof(self._clock))
        self._clock.user = self._handles[0]
        self._clock.now_ms = _clock_now
        self._alloc = c_allocator(self._handles[1])
        self._store = c_store(self._handles[2])
        opts = lead_engine_options()
        lib.lead_engine_options_init(opts, ctypes.sizeof(opts))
        opts.clock = ctypes.pointer(self._clock)
        opts.allocator = ctypes.pointer(self._alloc)
        opts.store = ctypes.pointer(self._store)
        self._ptr = engine_p()
        rc = lib.lead_engine_new(ctypes.byref(self._ptr), opts)
        if rc != LEAD_OK:
            self._release_handles()
            raise LeadError(rc, "lead_engine_new")

    def _check(self, rc):
        if rc != LEAD_OK:
            raise LeadError(rc, lib.lead_engine_errmsg(self._ptr).decode())

    def now(self):
        out = ctypes.c_int64()
        self._check(lib.lead_engine_now(self._ptr, ctypes.byref(out)))
        return out.value

    def create_contact(self, email, external_id=None, on_duplicate=0):
        out = ctypes.c_uint64()
        self._check(lib.lead_contact_create(self._ptr, out, _enc(email), _enc(external_id),
                                            on_duplicate))
        return out.value

    def find(self, email=None, external_id=None):
        out = ctypes.c_uint64()
        if email is not None:
            self._check(lib.lead_contact_find_email(self._ptr, out, email.encode()))
        else:
            self._check(lib.lead_contact_find_external(self._ptr, out, external_id.encode()))
        return out.value

    def set_field(self, cid, field, value):
        self._check(lib.lead_contact_set_field(self._ptr, cid, field, _enc(value)))

    def set_attr(self, cid, name, value):
        self._check(lib.lead_contact_set_attr(self._ptr, cid, name.encode(), LEAD_ATTR_STRING,
                                              0, 0.0, value.encode()))

    def track(self, cid, type_, channel, time_ms, key=None, content=None):
        """Tracks an event given by type and channel names; returns its id (0: a replay)."""
        event = lead_event_input()
        lib.lead_event_input_init(event, ctypes.sizeof(event))
        type_id, channel_id = ctypes.c_int(), ctypes.c_int()
        self._check(lib.lead_event_type_from_name(type_.encode(), type_id))
        self._check(lib.lead_channel_from_name(channel.encode(), channel_id))
        event.contact_id, event.type, event.channel = cid, type_id, channel_id
        event.time_ms, event.idempotency_key, event.content = time_ms, _enc(key), _enc(content)
        out = ctypes.c_uint64()
        self._check(lib.lead_track(self._ptr, out, event))
        return out.value

    def track_batch(self, events):
        """Tracks (contact, type, channel, time_ms, key) tuples in one call: an
        array of structs, each its own transaction. Returns the status, the
        ids of the events tracked before any failure, and the message."""
        array = (lead_event_input * len(events))()
        for slot, (cid, type_, channel, time_ms, key) in zip(array, events):
            lib.lead_event_input_init(slot, ctypes.sizeof(slot))
            type_id, channel_id = ctypes.c_int(), ctypes.c_int()
            self._check(lib.lead_event_type_from_name(type_.encode(), type_id))
            self._check(lib.lead_channel_from_name(channel.encode(), channel_id))
            slot.contact_id, slot.type, slot.channel = cid, type_id, channel_id
            slot.time_ms, slot.idempotency_key = time_ms, _enc(key)
        ids = (ctypes.c_uint64 * len(events))()
        done = ctypes.c_size_t()
        rc = lib.lead_track_batch(self._ptr, array, ctypes.sizeof(lead_event_input), len(events),
                                  ids, done)
        message = lib.lead_engine_errmsg(self._ptr).decode() if rc != LEAD_OK else ""
        return rc, list(ids)[:done.value], message

    def contact(self, cid):
        """A snapshot as a dict: fields, stage, stage history, event count, attributes."""
        snap = contact_p()
        self._check(lib.lead_contact_get(ctypes.byref(snap), self._ptr, cid))
        try:
            return read_contact(snap)
        finally:
            lib.lead_contact_free(snap)

    def events(self, cid, from_ms=LEAD_TIME_UNKNOWN):
        """The contact's events in time order: (id, type, channel, time, content)."""
        it, event = iter_p(), event_p()
        self._check(lib.lead_event_iter_new(ctypes.byref(it), self._ptr, cid, from_ms))
        events = []
        try:
            while True:
                rc = lib.lead_event_iter_next(it, ctypes.byref(event))
                if rc == LEAD_ITEROVER:
                    return events
                self._check(rc)
                eid, type_, channel = ctypes.c_uint64(), ctypes.c_int(), ctypes.c_int()
                time_ms, content = ctypes.c_int64(), ctypes.c_char_p()
                lib.lead_event_ids(event, eid, None, type_, channel)
                lib.lead_event_time(event, time_ms)
                lib.lead_event_string(event, LEAD_EVENT_CONTENT, content)
                events.append((eid.value, lib.lead_event_type_name(type_.value).decode(),
                               lib.lead_channel_name(channel.value).decode(), time_ms.value,
                               content.value.decode() if content.value else None))
        finally:
            lib.lead_event_iter_free(it)

    def attach(self, name, model):
        """Attaches a copy of a ScoreModel under name."""
        self._check(lib.lead_engine_score_attach(self._ptr, name.encode(), model.ptr))

    def detach(self, name):
        self._check(lib.lead_engine_score_detach(self._ptr, name.encode()))

    def models(self):
        """The names of the attached models, in attach order."""
        count, name = ctypes.c_size_t(), ctypes.c_char_p()
        self._check(lib.lead_engine_score_count(self._ptr, count))
        names = []
        for i in range(count.value):
            self._check(lib.lead_engine_score_name(self._ptr, i, name))
            names.append(name.value.decode())
        return names

    def score(self, model_name, cid, at_ms=LEAD_TIME_UNKNOWN):
        """The contact's score under an attached model, as read_score gives it."""
        result = ctypes.c_void_p()
        try:
            self._check(lib.lead_engine_score(ctypes.byref(result), self._ptr,
                                              model_name.encode(), cid, at_ms))
            return read_score(result)
        finally:
            lib.lead_score_result_free(result)

    def rescore(self, model_name=None, progress=None):
        """Rescores under one model (None: all); progress(done, total) returns
        True to stop."""
        call = {"progress": progress, "error": None}
        handle = new_handle(call)
        try:
            rc = lib.lead_engine_rescore(self._ptr, _enc(model_name),
                                         _rescore_progress if progress else PROGRESS_FN(),
                                         handle)  # PROGRESS_FN(): a NULL callback
        finally:
            drop_handle(handle)
        if call["error"] is not None:
            raise call["error"]
        self._check(rc)

    def close(self):
        lib.lead_engine_free(self._ptr)
        self._ptr = engine_p()
        self._release_handles()

    def _release_handles(self):
        for handle in self._handles:
            drop_handle(handle)
        self._handles = []


def _enc(text):
    return None if text is None else text.encode()


def read_contact(snap):
    fields = {}
    for name, field in (("email", LEAD_FIELD_EMAIL), ("job_title", LEAD_FIELD_JOB_TITLE),
                        ("industry", LEAD_FIELD_INDUSTRY), ("phone", LEAD_FIELD_PHONE)):
        value = ctypes.c_char_p()
        lib.lead_contact_field(snap, field, value)
        if value.value is not None:
            fields[name] = value.value.decode()
    stage, events, count = ctypes.c_int(), ctypes.c_uint64(), ctypes.c_size_t()
    lib.lead_contact_stage(snap, stage)
    lib.lead_contact_event_count(snap, events)
    lib.lead_contact_stage_history_count(snap, count)
    history = []
    for i in range(count.value):
        s, reason, entered, exited, event = (ctypes.c_int(), ctypes.c_int(), ctypes.c_int64(),
                                             ctypes.c_int64(), ctypes.c_uint64())
        lib.lead_contact_stage_history_at(snap, i, s, entered, exited, reason, event)
        history.append((lib.lead_stage_name(s.value).decode(), entered.value, exited.value,
                        reason.value, event.value))
    lib.lead_contact_attr_count(snap, count)
    attrs = {}
    for i in range(count.value):
        name, type_, value = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_char_p()
        lib.lead_contact_attr_at(snap, i, name, type_, None, None, value)
        attrs[name.value.decode()] = value.value.decode()
    return {"fields": fields, "stage": stage.value, "event_count": events.value,
            "history": history, "attrs": attrs}


class JourneySet:
    """Journeys built directly (no store), on a Python allocator."""

    def __init__(self, allocator):
        self._handle = new_handle(allocator)
        self._alloc = c_allocator(self._handle)
        self.ptr = set_p()
        self._check(lib.lead_journey_set_new(ctypes.byref(self.ptr), self._alloc))

    def _check(self, rc):
        if rc != LEAD_OK:
            raise LeadError(rc, lib.lead_journey_set_errmsg(self.ptr).decode())

    def add(self, channels, conversions, value, nulls):
        """One journey touching channels in order, without campaigns or times."""
        self._check(lib.lead_journey_set_begin(self.ptr))
        for channel in channels:
            self._check(lib.lead_journey_set_add_touch(self.ptr, channel.encode(), None,
                                                       LEAD_TIME_UNKNOWN, 0))
        self._check(lib.lead_journey_set_end(self.ptr, conversions, value, nulls,
                                             LEAD_TIME_UNKNOWN))

    def close(self):
        lib.lead_journey_set_free(self.ptr)
        drop_handle(self._handle)


def attribute(kind, journeys, allocator, channels):
    """Runs a model of kind on journeys: (totals, {channel: (conversions, value)})."""
    handle = new_handle(allocator)
    model, result = model_p(), result_p()
    try:
        rc = lib.lead_attribution_model_new(ctypes.byref(model), kind, c_allocator(handle))
        if rc != LEAD_OK:
            raise LeadError(rc, "lead_attribution_model_new")
        rc = lib.lead_attribution_run(ctypes.byref(result), model, journeys.ptr)
        if rc != LEAD_OK:
            raise LeadError(rc, lib.lead_attribution_model_errmsg(model).decode())
        totals = [ctypes.c_double() for _ in range(4)]
        lib.lead_attribution_result_totals(result, *totals)
        credit = {}
        for name in channels:
            conv, value = ctypes.c_double(), ctypes.c_double()
            rc = lib.lead_attribution_result_channel_by_name(result, name.encode(), conv, value)
            if rc != LEAD_OK:
                raise LeadError(rc, name)
            credit[name] = (conv.value, value.value)
        return tuple(t.value for t in totals), credit
    finally:
        lib.lead_attribution_result_free(result)
        lib.lead_attribution_model_free(model)
        drop_handle(handle)


class ScoreModel:
    """A scoring model parsed from its text format, on a Python allocator."""

    def __init__(self, allocator):
        self._handle = new_handle(allocator)
        self._alloc = c_allocator(self._handle)
        self.ptr = ctypes.c_void_p()
        rc = lib.lead_score_model_new(ctypes.byref(self.ptr), self._alloc)
        if rc != LEAD_OK:
            drop_handle(self._handle)
            raise LeadError(rc, "lead_score_model_new")

    def parse(self, text):
        data = text.encode()
        rc = lib.lead_score_model_parse(self.ptr, data, len(data))
        if rc != LEAD_OK:
            line, column, message = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_char_p()
            lib.lead_score_model_error(self.ptr, line, column, message)
            raise LeadError(rc, "%d:%d: %s" % (line.value, column.value, message.value.decode()))

    def evaluate(self, attributes, events, at_ms):
        """Scores a contact: attributes {name: value}, events [(type, channel, time_ms,
        {property: value})]. Returns a dict with the scores and the explanation."""
        subject, result = ctypes.c_void_p(), ctypes.c_void_p()
        try:
            rc = lib.lead_score_subject_new(ctypes.byref(subject), self._alloc)
            for name, value in attributes.items():
                rc = rc or lib.lead_score_subject_set(subject, name.encode(), value.encode())
            for type_, channel, time_ms, properties in events:
                rc = rc or lib.lead_score_subject_add_event(subject, type_.encode(),
                                                            channel.encode(), None, time_ms)
                for name, value in properties.items():
                    rc = rc or lib.lead_score_subject_add_property(subject, name.encode(),
                                                                   value.encode())
            rc = rc or lib.lead_score_evaluate(ctypes.byref(result), self.ptr, subject, at_ms)
            if rc != LEAD_OK:
                raise LeadError(rc, "scoring")
            return read_score(result)
        finally:
            lib.lead_score_result_free(result)
            lib.lead_score_subject_free(subject)

    def close(self):
        lib.lead_score_model_free(self.ptr)
        drop_handle(self._handle)


def read_score(result):
    fit, behaviour, total = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_int64()
    lib.lead_score_result_scores(result, fit, behaviour, total)
    grade = ctypes.create_string_buffer(1)
    lib.lead_score_result_grade(result, grade)
    bant = ctypes.c_uint32()
    lib.lead_score_result_bant(result, bant)
    stage, rule = ctypes.c_int32(), ctypes.c_size_t()
    reached = lib.lead_score_result_stage(result, stage, rule) == LEAD_OK
    count = ctypes.c_size_t()
    lib.lead_score_result_item_count(result, count)
    items = []
    for i in range(count.value):
        item = lead_score_item()
        lib.lead_score_item_init(item, ctypes.sizeof(item))
        lib.lead_score_result_item(result, i, item)
        items.append((item.kind, item.rule, item.subject.decode(), item.event_index,
                      item.event_time, item.raw, item.value))
    return {"scores": (fit.value, behaviour.value, total.value), "grade": grade.raw.decode(),
            "bant": bant.value, "stage": (stage.value, rule.value) if reached else None,
            "items": items}


def header_version():
    path = os.path.join(os.environ["LEAD_INCLUDE_DIR"], "lead", "version.h")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    string = re.search(r'#define LEAD_VERSION_STRING "([^"]+)"', text).group(1)
    major, minor, patch = (int(re.search(r"#define LEAD_VERSION_%s (\d+)" % part, text).group(1))
                           for part in ("MAJOR", "MINOR", "PATCH"))
    return string, major * 10000 + minor * 100 + patch


# ---- the scenario ----------------------------------------------------------

DAY = 86400000
HOUR = 3600000


def worked_example_model():
    """The model of the worked example in docs/scoring-model.md; the C scoring suites
    score the same model."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "docs",
                        "scoring-model.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## Worked example"):]
    start = section.index("```text\n") + len("```text\n")
    return section[start:section.index("```", start)]


ADA = {"job_title": "VP Engineering", "employees": "1200", "industry": "software",
       "timeline": "next year", "phone": "+49301234567", "email_domain": "example.com"}
ADA_EVENTS = [  # (type, channel, time, properties)
    ("email_open", "email", T0, {}),
    ("email_open", "email", T0 + HOUR, {}),
    ("email_open", "email", T0 + DAY, {}),
    ("email_open", "email", T0 + 2 * DAY, {}),
    ("email_open", "email", T0 + 7 * DAY, {}),
    ("page_view", "organic_search", T0 + 7 * DAY, {"path": "/pricing"}),
    ("demo_request", "direct", T0 + 10 * DAY, {}),
    ("page_view", "direct", T0 + 11 * DAY, {"path": "/blog"}),
    ("form_submit", "paid_search", T0 + 12 * DAY, {}),
    ("form_submit", "email", T0 + 13 * DAY, {}),
]

_FIT, _BASE, _EVENT = 1, 2, 3
# The worked example's explanation: (kind, rule, subject, event index, raw, value),
# centipoints.
WORKED_ITEMS = [
    (_FIT, 0, "job_title", 0, 2000, 2857),
    (_FIT, 1, "employees", 0, 1500, 2143),
    (_FIT, 2, "industry", 0, 1000, 1429),
    (_FIT, 4, "phone", 0, 500, 714),
    (_BASE, 0, "", 0, 1000, 1428),
    (_EVENT, 0, "email_open", 0, 1000, 250),
    (_EVENT, 0, "email_open", 1, 1000, 251),
    (_EVENT, 0, "email_open", 2, 1000, 276),
    (_EVENT, 0, "email_open", 4, 1000, 500),
    (_EVENT, 1, "page_view", 5, 500, 99),
    (_EVENT, 2, "demo_request", 6, 3000, 3000),
    (_EVENT, 4, "form_submit", 8, 1500, 1231),
]


def explanation(score):
    """A score's items without their event times."""
    return [(k, r, s, i, raw, v) for k, r, s, i, _, raw, v in score["items"]]


class Scenario(unittest.TestCase):
    """One engine per test, on a Python clock at T0 and a Python allocator;
    every test ends with all of the engine's memory given back."""

    def setUp(self):
        self.clock = Clock(T0)
        self.allocator = Allocator()
        self.store = Store()
        self.engine = Engine(self.clock, self.allocator, self.store)

    def tearDown(self):
        self.engine.close()
        self.assertEqual(self.allocator.live, set())
        self.assertEqual(self.store.errors, [])

    def test_version_matches_the_headers(self):
        string, number = header_version()
        self.assertEqual(lib.lead_version_string().decode(), string)
        self.assertEqual(lib.lead_version_number(), number)

    def test_status_texts(self):
        self.assertEqual(strerror(LEAD_OK), "success")
        self.assertEqual(strerror(LEAD_EINVAL), "invalid argument")
        self.assertEqual(strerror(LEAD_ECLOCK), "clock callback failed")
        self.assertEqual(strerror(-1000), "unknown error")

    def test_engine_memory_comes_from_python(self):
        self.assertGreaterEqual(self.allocator.calls, 1)
        self.assertIn(self.engine._ptr.value, self.allocator.live)

    def test_now_is_the_python_clock(self):
        self.assertEqual(self.engine.now(), T0)
        self.clock.now_ms = T0 + 86400000
        self.assertEqual(self.engine.now(), T0 + 86400000)
        self.assertEqual(self.clock.reads, 2)

    def test_clock_failure_is_reported(self):
        self.clock.fail_with = 7
        with self.assertRaises(LeadError) as caught:
            self.engine.now()
        self.assertEqual(caught.exception.code, LEAD_ECLOCK)
        self.assertEqual(caught.exception.detail, "clock callback failed (returned 7)")
        self.clock.fail_with = 0
        self.assertEqual(self.engine.now(), T0)

    def assertCredit(self, credit, expected):
        for channel, conversions in expected.items():
            got_conv, got_value = credit[channel]
            self.assertAlmostEqual(got_conv, conversions, delta=1e-12, msg=channel)
            self.assertAlmostEqual(got_value, 10 * conversions, delta=1e-12, msg=channel)

    def test_attribution_of_the_worked_example(self):
        # The C suite's worked example: direct (2 conversions, 1 null),
        # search > email (3, 2), search > social > email (5, 4); 10 per conversion.
        journeys = JourneySet(self.allocator)
        try:
            journeys.add(["direct"], 2, 20, 1)
            journeys.add(["search", "email"], 3, 30, 2)
            journeys.add(["search", "social", "email"], 5, 50, 4)
            channels = ["direct", "search", "email", "social"]
            totals, linear = attribute(LEAD_ATTRIBUTION_LINEAR, journeys, self.allocator, channels)
            self.assertEqual(totals, (10.0, 100.0, 0.0, 0.0))
            self.assertCredit(linear, {"direct": 2, "search": 19 / 6, "email": 19 / 6,
                                       "social": 5 / 3})
            totals, u_shaped = attribute(LEAD_ATTRIBUTION_U_SHAPED, journeys, self.allocator,
                                         channels)
            self.assertEqual(totals, (10.0, 100.0, 0.0, 0.0))
            self.assertCredit(u_shaped, {"direct": 2, "search": 3.5, "email": 3.5, "social": 1})
        finally:
            journeys.close()

    def test_score_with_its_explanation(self):
        self.assertWorkedExampleScore(ADA, ADA_EVENTS)

    def assertWorkedExampleScore(self, attributes, events):
        """Scores attributes and events under the worked example's model at T0 + 14 days
        and checks the C suite's figures."""
        model = ScoreModel(self.allocator)
        try:
            model.parse(worked_example_model())
            score = model.evaluate(attributes, events, T0 + 14 * DAY)
        finally:
            model.close()
        self.assertEqual(score["scores"], (8571, 5607, 14178))
        self.assertEqual(score["grade"], "A")
        self.assertEqual(score["bant"], 1 | 2 | 4)  # budget, authority, need
        self.assertEqual(score["stage"], (LEAD_STAGE_SQL, 1))
        self.assertEqual(lib.lead_stage_name(score["stage"][0]).decode(), "sql")
        self.assertEqual(explanation(score), WORKED_ITEMS)
        self.assertEqual(score["items"][8][4], T0 + 7 * DAY)

    def test_score_model_errors_say_where(self):
        model = ScoreModel(self.allocator)
        try:
            with self.assertRaises(LeadError) as caught:
                model.parse("liblead-score 1\nstage mql fit 101\n")
        finally:
            model.close()
        self.assertEqual((caught.exception.code, caught.exception.detail),
                         (LEAD_ELIMIT, "2:15: number out of range [0, 100]"))

    def test_journey_errors_come_back_as_codes(self):
        journeys = JourneySet(self.allocator)
        try:
            with self.assertRaises(LeadError) as caught:
                journeys.add([""], 1, 10, 0)
            self.assertEqual((caught.exception.code, caught.exception.detail),
                             (LEAD_EINVAL, "empty name"))
            # The failed touch left its journey open.
            with self.assertRaises(LeadError) as caught:
                journeys.add(["email"], 1, 10, 0)
            self.assertEqual((caught.exception.code, caught.exception.detail),
                             (LEAD_ESTATE, "a journey is already open"))
        finally:
            journeys.close()

    # ---- the engine on the Python store ----------------------------------

    def assertFails(self, code, detail, fn, *args, **kwargs):
        with self.assertRaises(LeadError) as caught:
            fn(*args, **kwargs)
        self.assertEqual((caught.exception.code, caught.exception.detail), (code, detail))

    def test_contacts_live_in_the_python_store(self):
        self.assertEqual(self.engine.create_contact(" Ann@Example.com", "crm-7"), 1)
        self.assertEqual(self.engine.create_contact(None), 2)
        self.assertFails(LEAD_EEXISTS, "email already belongs to contact 1",
                         self.engine.create_contact, "ann@EXAMPLE.com")
        self.assertEqual(self.engine.create_contact("ann@example.com", on_duplicate=1), 1)
        self.assertEqual(self.engine.find(email="ANN@example.com"), 1)
        self.assertEqual(self.engine.find(external_id="crm-7"), 1)
        self.assertFails(LEAD_ENOTFOUND, "no contact with this email", self.engine.find,
                         email="zed@example.com")
        ann = self.engine.contact(1)
        self.assertEqual(ann["fields"], {"email": "ann@example.com"})
        self.assertEqual(ann["stage"], LEAD_STAGE_SUBSCRIBER)
        self.assertEqual(ann["history"],
                         [("subscriber", T0, LEAD_TIME_UNKNOWN, LEAD_REASON_CREATED, 0)])
        # What the engine wrote, seen from the Python side.
        self.assertEqual(sorted(self.store.contacts), [1, 2])
        self.assertEqual(self.store.emails, {b"ann@example.com": 1})
        self.assertEqual(self.store.externals, {b"crm-7": 1})
        self.assertEqual(sorted(self.store.meta), [b"contact.next_id"])
        self.assertEqual(self.store.contacts[1][:4], b"LR\x01\x02")  # contact record, v2

    def test_events_stage_history_and_replay(self):
        c = self.engine.create_contact("a@x.io")
        self.assertEqual(self.engine.track(c, "page_view", "organic_search", T0 + 1000), 1)
        self.assertEqual(self.engine.track(c, "form_submit", "paid_search", T0 + 2000), 2)
        self.assertEqual(self.engine.track(c, "download", "email", T0 + 3000, key="msg-1"), 3)
        stored = self.store.state()
        self.assertEqual(self.engine.track(c, "download", "email", T0 + 3000, key="msg-1"), 0)
        self.assertEqual(self.store.state(), stored)
        contact = self.engine.contact(c)
        self.assertEqual(contact["stage"], LEAD_STAGE_LEAD)
        self.assertEqual(contact["event_count"], 3)
        self.assertEqual(contact["history"], [
            ("subscriber", T0, T0 + 2000, LEAD_REASON_CREATED, 0),
            ("lead", T0 + 2000, LEAD_TIME_UNKNOWN, LEAD_REASON_EVENT, 2)])
        self.assertEqual(self.engine.events(c, T0 + 2000), [
            (2, "form_submit", "paid_search", T0 + 2000, None),
            (3, "download", "email", T0 + 3000, None)])
        self.assertEqual(len(self.store.events[c]), 3)
        self.assertEqual(self.store.idem_keys, {b"msg-1"})
        # Every track is one transaction, the replay too (it wrote nothing).
        self.assertEqual((self.store.calls["begin"], self.store.calls["commit"],
                          self.store.calls["rollback"]), (4, 4, 0))

    def test_a_batch_tracks_each_event_in_its_own_transaction(self):
        a = self.engine.create_contact("a@x.io")
        b = self.engine.create_contact("b@x.io")
        begun = self.store.calls["begin"], self.store.calls["commit"]
        self.assertEqual(self.engine.track_batch([
            (a, "page_view", "organic_search", T0 + 1000, None),
            (b, "form_submit", "paid_search", T0 + 2000, "k-1"),
            (b, "form_submit", "paid_search", T0 + 2000, "k-1"),
            (a, "email_open", "email", T0 + 3000, None)]), (LEAD_OK, [1, 2, 0, 3], ""))
        self.assertEqual(self.engine.contact(b)["stage"], LEAD_STAGE_LEAD)
        self.assertEqual(self.engine.contact(a)["event_count"], 2)
        # One transaction per stored event; the replay opens none.
        self.assertEqual((self.store.calls["begin"] - begun[0],
                          self.store.calls["commit"] - begun[1]), (3, 3))
        # The first failure stops the batch; what came before it stays.
        self.assertEqual(self.engine.track_batch([
            (a, "page_view", "direct", T0 + 4000, None),
            (99, "page_view", "direct", T0 + 5000, None),
            (a, "page_view", "direct", T0 + 6000, None)]),
            (LEAD_ENOTFOUND, [4], "track batch: event 1: no contact 99"))
        self.assertEqual(self.engine.contact(a)["event_count"], 3)

    def create_ada(self):
        """Ada of the worked example as an engine contact: her fields and
        attributes (the email gives her email_domain)."""
        c = self.engine.create_contact(" Ada@Example.COM")
        self.engine.set_field(c, LEAD_FIELD_JOB_TITLE, ADA["job_title"])
        self.engine.set_field(c, LEAD_FIELD_INDUSTRY, ADA["industry"])
        self.engine.set_field(c, LEAD_FIELD_PHONE, ADA["phone"])
        self.engine.set_attr(c, "employees", ADA["employees"])
        self.engine.set_attr(c, "timeline", ADA["timeline"])
        return c

    def track_ada(self, c, events):
        """Tracks worked-example events, the page path in content."""
        for type_, channel, time_ms, properties in events:
            self.engine.track(c, type_, channel, time_ms, content=properties.get("path"))

    def test_score_of_what_the_engine_read_back(self):
        c = self.create_ada()
        self.track_ada(c, ADA_EVENTS)
        # The subject is built only from what comes back out of the engine.
        contact = self.engine.contact(c)
        self.assertEqual(contact["fields"]["email"], "ada@example.com")
        attributes = dict(contact["fields"], **contact["attrs"])
        attributes["email_domain"] = attributes.pop("email").split("@")[1]
        self.assertEqual(attributes, ADA)
        events = [(type_, channel, time_ms, {"path": content} if content else {})
                  for _, type_, channel, time_ms, content in self.engine.events(c)]
        self.assertEqual(events, ADA_EVENTS)
        self.assertWorkedExampleScore(attributes, events)

    def test_the_engine_scores_its_contacts(self):
        self.clock.now_ms = T0 - DAY
        ada = self.create_ada()
        self.assertEqual(self.engine.create_contact("bob@example.com"), 2)
        model = ScoreModel(self.allocator)
        try:
            model.parse(worked_example_model())
            self.engine.attach("enterprise", model)
            self.assertFails(LEAD_EEXISTS, "score attach: model enterprise is attached",
                             self.engine.attach, "enterprise", model)
        finally:
            model.close()  # the engine keeps its own copy
        self.assertEqual(self.engine.models(), ["enterprise"])
        at = T0 + 14 * DAY
        # Attaching scores the fit at once but moves no stage.
        self.assertEqual(self.engine.score("enterprise", ada, at)["scores"], (8571, 0, 8571))
        self.assertEqual(self.engine.contact(ada)["stage"], LEAD_STAGE_SUBSCRIBER)
        # Tracking updates the score, and the first event that hits a rule
        # crosses the sql threshold (BANT 3 from the fit alone).
        self.track_ada(ada, ADA_EVENTS[:1])
        self.assertEqual(self.engine.score("enterprise", ada, T0)["scores"], (8571, 1000, 9571))
        self.track_ada(ada, ADA_EVENTS[1:])
        contact = self.engine.contact(ada)
        self.assertEqual(contact["stage"], LEAD_STAGE_SQL)
        self.assertEqual(contact["history"], [
            ("subscriber", T0 - DAY, T0, LEAD_REASON_CREATED, 0),
            ("sql", T0, LEAD_TIME_UNKNOWN, LEAD_REASON_THRESHOLD, 1)])
        # The engine's score equals the evaluation of a subject built from the
        # same contact as the engine shows it to a model: the page path is the
        # property "content", so the worked example's rule on "path" hits nothing.
        score = self.engine.score("enterprise", ada, at)
        attributes = dict(contact["fields"], **contact["attrs"])
        events = [(type_, channel, time_ms, {"content": p["path"]} if p else {})
                  for type_, channel, time_ms, p in ADA_EVENTS]
        model = ScoreModel(self.allocator)
        try:
            model.parse(worked_example_model())
            self.assertEqual(score, model.evaluate(attributes, events, at))
        finally:
            model.close()
        self.assertEqual(score["scores"], (8571, 5508, 14079))
        self.assertEqual(score["grade"], "A")
        self.assertEqual(score["bant"], 1 | 2 | 4)
        self.assertEqual(score["stage"], (LEAD_STAGE_SQL, 1))
        self.assertEqual(explanation(score), WORKED_ITEMS[:9] + WORKED_ITEMS[10:])
        # A rescore calls back into Python after each contact.
        calls = []
        self.engine.rescore("enterprise", lambda done, total: calls.append((done, total)))
        self.assertEqual(calls, [(1, 2), (2, 2)])
        self.assertEqual(self.engine.score("enterprise", ada, at), score)
        # A true return cancels it and keeps the previous state.
        calls = []

        def cancel(done, total):
            calls.append((done, total))
            return True

        self.assertFails(LEAD_ECANCELED, "rescore canceled after 1 contact",
                         self.engine.rescore, None, cancel)
        self.assertEqual(calls, [(1, 2)])
        self.assertEqual(self.engine.score("enterprise", ada, at), score)

        # An exception stops it too, and comes out of rescore once C has returned.
        def boom(done, total):
            raise ValueError("boom")

        with self.assertRaisesRegex(ValueError, "boom"):
            self.engine.rescore(None, boom)
        self.assertEqual(self.engine.score("enterprise", ada, at), score)
        self.assertFails(LEAD_ENOTFOUND, "score: no model nope", self.engine.score, "nope", ada,
                         at)
        self.assertFails(LEAD_ENOTFOUND, "rescore: no model nope", self.engine.rescore, "nope")
        self.engine.detach("enterprise")
        self.assertEqual(self.engine.models(), [])

    def test_a_failing_store_callback_leaves_nothing_half_written(self):
        c = self.engine.create_contact("a@x.io")
        self.assertEqual(self.engine.track(c, "page_view", "organic_search", T0 + 1000), 1)
        before = self.store.state()
        for slot, code in (("event_append", 99), ("contact_put", 42), ("commit", 7)):
            self.store.fail = {slot: code}
            self.assertFails(LEAD_ESTORE, "store %s failed (returned %d)" % (slot, code),
                             self.engine.track, c, "form_submit", "paid_search", T0 + 2000,
                             key="msg-2")
            self.assertEqual(self.store.state(), before, slot)
        self.assertEqual(strerror(LEAD_ESTORE), "store callback failed")
        self.assertEqual(self.store.calls["rollback"], 3)
        self.store.fail = {}
        contact = self.engine.contact(c)
        self.assertEqual((contact["stage"], contact["event_count"]), (LEAD_STAGE_SUBSCRIBER, 1))
        # The rolled-back id is handed out again, and the key was never remembered.
        self.assertEqual(self.engine.track(c, "form_submit", "paid_search", T0 + 2000,
                                           key="msg-2"), 2)
        self.assertEqual(self.engine.contact(c)["stage"], LEAD_STAGE_LEAD)

    def test_a_failing_clock_stores_nothing(self):
        self.clock.fail_with = 7
        self.assertFails(LEAD_ECLOCK, "clock callback failed (returned 7)",
                         self.engine.create_contact, "a@x.io")
        self.assertEqual(self.store.state(), Store().state())
        self.clock.fail_with = 0
        self.assertEqual(self.engine.create_contact("a@x.io"), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
