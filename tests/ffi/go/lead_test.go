package lead

import (
	"errors"
	"math"
	"testing"
)

// t0 is 2026-01-01T00:00:00Z, the epoch the C tests use.
const t0 = int64(1767225600000)

type testClock struct {
	now      int64
	failWith int
	reads    int
}

func (c *testClock) NowMs() (int64, int) {
	c.reads++
	return c.now, c.failWith
}

// scenario is one engine on a Go clock at t0, a Go allocator and a Go store; finish
// closes it and checks every block went back. Each concept of the API is one
// Test function using a scenario; add new concepts the same way.
type scenario struct {
	t      *testing.T
	clock  *testClock
	alloc  *Allocator
	store  *memStore
	engine *Engine
}

func start(t *testing.T) *scenario {
	s := &scenario{t: t, clock: &testClock{now: t0}, alloc: NewAllocator(), store: newMemStore()}
	e, err := NewEngine(s.clock, s.alloc, s.store)
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	s.engine = e
	t.Cleanup(s.finish)
	return s
}

func (s *scenario) finish() {
	s.engine.Close()
	if n := s.alloc.Live(); n != 0 {
		s.t.Errorf("%d blocks still live after Close", n)
	}
	if panics := s.engine.StorePanics(); len(panics) != 0 {
		s.t.Errorf("store callbacks panicked: %v", panics)
	}
}

func TestVersionMatchesTheHeaders(t *testing.T) {
	if got := VersionString(); got != HeaderVersion {
		t.Errorf("lead_version_string() = %q, headers say %q", got, HeaderVersion)
	}
	if got := VersionNumber(); got != HeaderVersionNumber {
		t.Errorf("lead_version_number() = %d, headers say %d", got, HeaderVersionNumber)
	}
}

func TestStatusTexts(t *testing.T) {
	want := map[int]string{OK: "success", EINVAL: "invalid argument",
		ECLOCK: "clock callback failed", -1000: "unknown error"}
	for code, text := range want {
		if got := StrError(code); got != text {
			t.Errorf("lead_strerror(%d) = %q, want %q", code, got, text)
		}
	}
}

func TestEngineMemoryComesFromGo(t *testing.T) {
	s := start(t)
	if s.alloc.Calls < 1 || !s.alloc.Owns(s.engine.Handle()) {
		t.Errorf("the engine was not allocated by the Go allocator (%d calls)", s.alloc.Calls)
	}
}

func TestNowIsTheGoClock(t *testing.T) {
	s := start(t)
	for _, want := range []int64{t0, t0 + 86400000} {
		s.clock.now = want
		got, err := s.engine.Now()
		if err != nil || got != want {
			t.Errorf("Now() = %d, %v; want %d", got, err, want)
		}
	}
	if s.clock.reads != 2 {
		t.Errorf("the clock was read %d times, want 2", s.clock.reads)
	}
}

func TestClockFailureIsReported(t *testing.T) {
	s := start(t)
	s.clock.failWith = 7
	_, err := s.engine.Now()
	var lerr *Error
	if !errors.As(err, &lerr) {
		t.Fatalf("Now() = %v, want a *lead.Error", err)
	}
	if lerr.Code != ECLOCK || lerr.Detail != "clock callback failed (returned 7)" {
		t.Errorf("got %d %q", lerr.Code, lerr.Detail)
	}
	s.clock.failWith = 0
	if got, err := s.engine.Now(); err != nil || got != t0 {
		t.Errorf("after healing Now() = %d, %v", got, err)
	}
}

func expectError(t *testing.T, err error, code int, detail string) {
	t.Helper()
	var lerr *Error
	if !errors.As(err, &lerr) || lerr.Code != code || lerr.Detail != detail {
		t.Errorf("got %v, want %d %q", err, code, detail)
	}
}

// The C suite's worked example: direct (2 conversions, 1 null),
// search > email (3, 2), search > social > email (5, 4); 10 per conversion.
func TestAttributionOfTheWorkedExample(t *testing.T) {
	s := start(t)
	journeys, err := NewJourneySet(s.alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer journeys.Close()
	for _, j := range []struct {
		channels           []string
		conv, value, nulls float64
	}{
		{[]string{"direct"}, 2, 20, 1},
		{[]string{"search", "email"}, 3, 30, 2},
		{[]string{"search", "social", "email"}, 5, 50, 4},
	} {
		if err := journeys.Add(j.channels, j.conv, j.value, j.nulls); err != nil {
			t.Fatal(err)
		}
	}
	channels := []string{"direct", "search", "email", "social"}
	for _, model := range []struct {
		name string
		kind uint32
		want map[string]float64
	}{
		{"linear", AttributionLinear, map[string]float64{"direct": 2, "search": 19.0 / 6, "email": 19.0 / 6, "social": 5.0 / 3}},
		{"U-shaped", AttributionUShaped, map[string]float64{"direct": 2, "search": 3.5, "email": 3.5, "social": 1}},
	} {
		got, err := Attribute(model.kind, journeys, s.alloc, channels)
		if err != nil {
			t.Fatalf("%s: %v", model.name, err)
		}
		if got.Conversions != 10 || got.Value != 100 || got.UnattributedConversions != 0 || got.UnattributedValue != 0 {
			t.Errorf("%s totals: %+v", model.name, got)
		}
		for channel, conv := range model.want {
			c := got.Channels[channel]
			if math.Abs(c.Conversions-conv) > 1e-12 || math.Abs(c.Value-10*conv) > 1e-12 {
				t.Errorf("%s %s: got %.15g / %.15g, want %.15g / %.15g", model.name, channel,
					c.Conversions, c.Value, conv, 10*conv)
			}
		}
	}
}

func TestJourneyErrorsComeBackAsCodes(t *testing.T) {
	s := start(t)
	journeys, err := NewJourneySet(s.alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer journeys.Close()
	expectError(t, journeys.Add([]string{""}, 1, 10, 0), EINVAL, "empty name")
	// The failed touch left its journey open.
	expectError(t, journeys.Add([]string{"email"}, 1, 10, 0), ESTATE, "a journey is already open")
}
