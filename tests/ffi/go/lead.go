// Package lead is a thin cgo binding of liblead used by the FFI tests: the
// engine's clock, allocator and store are Go values, reached from C through a
// cgo.Handle carried in the callback tables' user pointer.
package lead

/*
#cgo LDFLAGS: -llead
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Status codes used by the tests (include/lead/common.h).
const (
	OK     = 0
	EINVAL = -1
	ECLOCK = -6
	ESTATE = -9
)

// Attribution kinds used by the tests (include/lead/attribution.h).
const (
	AttributionLinear  = C.LEAD_ATTRIBUTION_LINEAR
	AttributionUShaped = C.LEAD_ATTRIBUTION_U_SHAPED
)

// Clock supplies the engine's time; a non-zero return reports a failure.
type Clock interface {
	NowMs() (int64, int)
}

// Allocator hands out C memory (Go memory must not be kept by C) and counts it.
type Allocator struct {
	mu    sync.Mutex
	live  map[unsafe.Pointer]struct{}
	Calls int
}

// NewAllocator returns an allocator with nothing live.
func NewAllocator() *Allocator {
	return &Allocator{live: map[unsafe.Pointer]struct{}{}}
}

// Live is the number of blocks allocated and not yet freed.
func (a *Allocator) Live() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.live)
}

// Owns says whether p is a live block of this allocator.
func (a *Allocator) Owns(p unsafe.Pointer) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.live[p]
	return ok
}

func (a *Allocator) track(old, p unsafe.Pointer) unsafe.Pointer {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Calls++
	if p != nil {
		if old != nil {
			delete(a.live, old)
		}
		a.live[p] = struct{}{}
	}
	return p
}

func (a *Allocator) release(p unsafe.Pointer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.live, p)
}

//export leadgoClockNow
func leadgoClockNow(h C.uintptr_t, out *C.int64_t) C.int {
	now, failure := cgo.Handle(h).Value().(Clock).NowMs()
	if failure != 0 {
		return C.int(failure)
	}
	*out = C.int64_t(now)
	return 0
}

//export leadgoMalloc
func leadgoMalloc(h C.uintptr_t, size C.size_t) unsafe.Pointer {
	return cgo.Handle(h).Value().(*Allocator).track(nil, C.malloc(size))
}

//export leadgoRealloc
func leadgoRealloc(h C.uintptr_t, ptr unsafe.Pointer, size C.size_t) unsafe.Pointer {
	return cgo.Handle(h).Value().(*Allocator).track(ptr, C.realloc(ptr, size))
}

//export leadgoFree
func leadgoFree(h C.uintptr_t, ptr unsafe.Pointer) {
	if ptr != nil {
		cgo.Handle(h).Value().(*Allocator).release(ptr)
	}
	C.free(ptr)
}

// Error is a liblead status with the engine's detail message.
type Error struct {
	Code   int
	Detail string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", StrError(e.Code), e.Detail) }

// StrError is lead_strerror.
func StrError(code int) string { return C.GoString(C.lead_strerror(C.int(code))) }

// VersionString is lead_version_string.
func VersionString() string { return C.GoString(C.lead_version_string()) }

// VersionNumber is lead_version_number.
func VersionNumber() int { return int(C.lead_version_number()) }

// HeaderVersion is LEAD_VERSION_STRING of the headers this package compiled against.
const HeaderVersion = C.LEAD_VERSION_STRING

// HeaderVersionNumber is LEAD_VERSION_NUMBER of those headers.
const HeaderVersionNumber = C.LEAD_VERSION_NUMBER

// Engine owns a lead_engine and the handles its callbacks use.
type Engine struct {
	ptr     *C.lead_engine
	handles []cgo.Handle
	store   *storeBox
}

// NewEngine creates an engine on a Go clock, a Go allocator and a Go store
// (nil: the embedded in-memory store).
func NewEngine(clock Clock, alloc *Allocator, store Store) (*Engine, error) {
	e := &Engine{handles: []cgo.Handle{cgo.NewHandle(clock), cgo.NewHandle(alloc)}}
	storeHandle := cgo.Handle(0)
	if store != nil {
		e.store = &storeBox{store: store}
		storeHandle = cgo.NewHandle(e.store)
		e.handles = append(e.handles, storeHandle)
	}
	rc := C.leadgo_engine_new(&e.ptr, C.uintptr_t(e.handles[0]), C.uintptr_t(e.handles[1]),
		C.uintptr_t(storeHandle))
	if rc != OK {
		e.releaseHandles()
		return nil, &Error{Code: int(rc), Detail: "lead_engine_new"}
	}
	return e, nil
}

// Handle is the engine's C pointer (for ownership checks).
func (e *Engine) Handle() unsafe.Pointer { return unsafe.Pointer(e.ptr) }

func (e *Engine) check(rc C.int) error {
	if rc == OK {
		return nil
	}
	return &Error{Code: int(rc), Detail: C.GoString(C.lead_engine_errmsg(e.ptr))}
}

// Now is lead_engine_now.
func (e *Engine) Now() (int64, error) {
	var out C.int64_t
	if err := e.check(C.lead_engine_now(e.ptr, &out)); err != nil {
		return 0, err
	}
	return int64(out), nil
}

// Close frees the engine, then the handles its callbacks used.
func (e *Engine) Close() {
	C.lead_engine_free(e.ptr)
	e.ptr = nil
	e.releaseHandles()
}

func (e *Engine) releaseHandles() {
	for _, h := range e.handles {
		h.Delete()
	}
	e.handles = nil
	if e.store != nil {
		e.store.close()
	}
}

// JourneySet holds journeys built directly (no store), on a Go allocator.
type JourneySet struct {
	ptr    *C.lead_journey_set
	handle cgo.Handle
}

// NewJourneySet is lead_journey_set_new with alloc as the allocator.
func NewJourneySet(alloc *Allocator) (*JourneySet, error) {
	s := &JourneySet{handle: cgo.NewHandle(alloc)}
	if rc := C.leadgo_journey_set_new(&s.ptr, C.uintptr_t(s.handle)); rc != OK {
		s.handle.Delete()
		return nil, &Error{Code: int(rc), Detail: "lead_journey_set_new"}
	}
	return s, nil
}

func (s *JourneySet) check(rc C.int) error {
	if rc == OK {
		return nil
	}
	return &Error{Code: int(rc), Detail: C.GoString(C.lead_journey_set_errmsg(s.ptr))}
}

// Add appends one journey touching channels in order, without campaigns or times.
func (s *JourneySet) Add(channels []string, conversions, value, nulls float64) error {
	if err := s.check(C.lead_journey_set_begin(s.ptr)); err != nil {
		return err
	}
	for _, channel := range channels {
		name := C.CString(channel)
		rc := C.lead_journey_set_add_touch(s.ptr, name, nil, C.LEAD_TIME_UNKNOWN, 0)
		C.free(unsafe.Pointer(name))
		if err := s.check(rc); err != nil {
			return err
		}
	}
	return s.check(C.lead_journey_set_end(s.ptr, C.double(conversions), C.double(value),
		C.double(nulls), C.LEAD_TIME_UNKNOWN))
}

// Close frees the set.
func (s *JourneySet) Close() {
	C.lead_journey_set_free(s.ptr)
	s.handle.Delete()
}

// Credit is what a channel earned: conversions and value.
type Credit struct{ Conversions, Value float64 }

// Attribution is a model's result: totals and the credit of the channels asked for.
type Attribution struct {
	Conversions, Value, UnattributedConversions, UnattributedValue float64
	Channels                                                       map[string]Credit
}

// Attribute runs a model of kind on the set, on alloc, and reads the credit of channels.
func Attribute(kind uint32, set *JourneySet, alloc *Allocator, channels []string) (*Attribution, error) {
	handle := cgo.NewHandle(alloc)
	defer handle.Delete()
	var model *C.lead_attribution_model
	if rc := C.leadgo_attribution_model_new(&model, C.uint32_t(kind), C.uintptr_t(handle)); rc != OK {
		return nil, &Error{Code: int(rc), Detail: "lead_attribution_model_new"}
	}
	defer C.lead_attribution_model_free(model)
	var result *C.lead_attribution_result
	if rc := C.lead_attribution_run(&result, model, set.ptr); rc != OK {
		return nil, &Error{Code: int(rc), Detail: C.GoString(C.lead_attribution_model_errmsg(model))}
	}
	defer C.lead_attribution_result_free(result)
	var conv, value, unConv, unValue C.double
	C.lead_attribution_result_totals(result, &conv, &value, &unConv, &unValue)
	a := &Attribution{Conversions: float64(conv), Value: float64(value),
		UnattributedConversions: float64(unConv), UnattributedValue: float64(unValue),
		Channels: map[string]Credit{}}
	for _, channel := range channels {
		name := C.CString(channel)
		var c, v C.double
		rc := C.lead_attribution_result_channel_by_name(result, name, &c, &v)
		C.free(unsafe.Pointer(name))
		if rc != OK {
			return nil, &Error{Code: int(rc), Detail: channel}
		}
		a.Channels[channel] = Credit{float64(c), float64(v)}
	}
	return a, nil
}
