"""liblead driven from Python through ctypes (standard library only).

The engine's clock and allocator are Python objects: C calls back into
Python, and the `user` pointer carries a handle to the Python object.
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
LEAD_ECLOCK = -6
LEAD_ELIMIT = -7
LEAD_ESTATE = -9
LEAD_STAGE_SQL = 3
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


class lead_allocator(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("user", ctypes.c_void_p), ("malloc_fn", MALLOC_FN),
                ("realloc_fn", REALLOC_FN), ("free_fn", FREE_FN)]


class lead_clock(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("user", ctypes.c_void_p), ("now_ms", NOW_MS_FN)]


class lead_score_item(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("kind", ctypes.c_int32), ("rule", ctypes.c_uint32), ("subject", ctypes.c_char_p),
                ("event_index", ctypes.c_uint64), ("event_time", ctypes.c_int64),
                ("raw", ctypes.c_int64), ("value", ctypes.c_int64)]


class lead_engine_options(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("version", ctypes.c_uint32),
                ("allocator", ctypes.POINTER(lead_allocator)),
                ("clock", ctypes.POINTER(lead_clock)), ("store", ctypes.c_void_p)]


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


class Engine:
    """An engine whose clock and allocator live in Python."""

    def __init__(self, clock, allocator):
        self._handles = [new_handle(clock), new_handle(allocator)]
        self._clock = lead_clock()
        lib.lead_clock_init(self._clock, ctypes.sizeof(self._clock))
        self._clock.user = self._handles[0]
        self._clock.now_ms = _clock_now
        self._alloc = c_allocator(self._handles[1])
        opts = lead_engine_options()
        lib.lead_engine_options_init(opts, ctypes.sizeof(opts))
        opts.clock = ctypes.pointer(self._clock)
        opts.allocator = ctypes.pointer(self._alloc)
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

    def close(self):
        lib.lead_engine_free(self._ptr)
        self._ptr = engine_p()
        self._release_handles()

    def _release_handles(self):
        for handle in self._handles:
            drop_handle(handle)
        self._handles = []


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


class Scenario(unittest.TestCase):
    """One engine per test, on a Python clock at T0 and a Python allocator;
    every test ends with all of the engine's memory given back."""

    def setUp(self):
        self.clock = Clock(T0)
        self.allocator = Allocator()
        self.engine = Engine(self.clock, self.allocator)

    def tearDown(self):
        self.engine.close()
        self.assertEqual(self.allocator.live, set())

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
        model = ScoreModel(self.allocator)
        try:
            model.parse(worked_example_model())
            score = model.evaluate(ADA, ADA_EVENTS, T0 + 14 * DAY)
        finally:
            model.close()
        self.assertEqual(score["scores"], (8571, 5607, 14178))
        self.assertEqual(score["grade"], "A")
        self.assertEqual(score["bant"], 1 | 2 | 4)  # budget, authority, need
        self.assertEqual(score["stage"], (LEAD_STAGE_SQL, 1))
        self.assertEqual(lib.lead_stage_name(score["stage"][0]).decode(), "sql")
        fit, base, event = 1, 2, 3
        # (kind, rule, subject, event index, raw, value), centipoints
        self.assertEqual([(k, r, s, i, raw, v) for k, r, s, i, _, raw, v in score["items"]], [
            (fit, 0, "job_title", 0, 2000, 2857),
            (fit, 1, "employees", 0, 1500, 2143),
            (fit, 2, "industry", 0, 1000, 1429),
            (fit, 4, "phone", 0, 500, 714),
            (base, 0, "", 0, 1000, 1428),
            (event, 0, "email_open", 0, 1000, 250),
            (event, 0, "email_open", 1, 1000, 251),
            (event, 0, "email_open", 2, 1000, 276),
            (event, 0, "email_open", 4, 1000, 500),
            (event, 1, "page_view", 5, 500, 99),
            (event, 2, "demo_request", 6, 3000, 3000),
            (event, 4, "form_submit", 8, 1500, 1231),
        ])
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

if __name__ == "__main__":
    unittest.main(verbosity=2)
