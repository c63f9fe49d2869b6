package lead

/*
#include <stdlib.h>
#include <string.h>
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// Status codes a store returns (include/lead/common.h).
const (
	ENOTFOUND = -3
	EEXISTS   = -4
	ESTORE    = -5
	ENOMEM    = -2
)

// Store is the engine's persistence implemented in Go (docs/storage.md):
// every method returns 0, ENOTFOUND where a lookup finds nothing, or any
// other non-zero value to fail, having changed nothing. Records and keys
// handed in are the Store's to keep (they are Go copies); records handed
// back are copied to C memory by the binding.
type Store interface {
	// ContactPut stores contact id's record; email and externalID ("" for
	// none) are its index keys, replacing any the contact had.
	ContactPut(id uint64, email, externalID string, record []byte) int
	ContactGet(id uint64) ([]byte, int)
	// ContactDelete drops the contact, its keys and its events, not the
	// idempotency keys of those events.
	ContactDelete(id uint64) int
	// ContactFind looks a contact up by email (byExternal false) or external id.
	ContactFind(byExternal bool, key string) (uint64, int)
	// ContactScan calls visit for every contact id, ascending, until it returns true.
	ContactScan(visit func(id uint64) (stop bool)) int
	// EventAppend appends an event record; idemKey ("" for none) is remembered.
	EventAppend(contactID uint64, timeMs int64, idemKey string, record []byte) int
	// EventScan calls visit for the contact's events at or after fromMs in
	// time order (equal times in append order) until it returns true.
	EventScan(contactID uint64, fromMs int64, visit func(timeMs int64, record []byte) (stop bool)) int
	EventFindKey(idemKey string) int
	MetaPut(key string, value []byte) int
	MetaGet(key string) ([]byte, int)
	Begin() int
	Commit() int
	Rollback() int
}

// StoreBug is what a store callback returns to C when the Go method panicked:
// a panic must not unwind through the C frames of the engine.
const StoreBug = 1000

// storeBox is what the store's cgo.Handle names: the Go store, the C copy
// of the record the engine borrows until its next call, and the panics caught.
type storeBox struct {
	store  Store
	lent   unsafe.Pointer
	Panics []interface{}
}

func (b *storeBox) lend(record []byte, outBytes *unsafe.Pointer, outLen *C.size_t) {
	C.free(b.lent)
	b.lent = C.malloc(C.size_t(len(record) + 1)) // +1: never malloc(0)
	if len(record) > 0 {
		C.memcpy(b.lent, unsafe.Pointer(&record[0]), C.size_t(len(record)))
	}
	*outBytes = b.lent
	*outLen = C.size_t(len(record))
}

func (b *storeBox) close() {
	C.free(b.lent)
	b.lent = nil
}

// guard runs one callback's Go side and turns a panic into StoreBug.
func guard(h C.uintptr_t, call func(b *storeBox) int) (rc C.int) {
	b := cgo.Handle(h).Value().(*storeBox)
	defer func() {
		if p := recover(); p != nil {
			b.Panics = append(b.Panics, p)
			rc = StoreBug
		}
	}()
	if b.lent == nil {
		b.lent = C.malloc(1)
	}
	return C.int(call(b))
}

func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

//export leadgoContactPut
func leadgoContactPut(h C.uintptr_t, id C.uint64_t, email, externalID *C.char, bytes unsafe.Pointer, n C.size_t) C.int {
	return guard(h, func(b *storeBox) int {
		return b.store.ContactPut(uint64(id), goString(email), goString(externalID), C.GoBytes(bytes, C.int(n)))
	})
}

//export leadgoContactGet
func leadgoContactGet(h C.uintptr_t, id C.uint64_t, outBytes *unsafe.Pointer, outLen *C.size_t) C.int {
	return guard(h, func(b *storeBox) int {
		record, rc := b.store.ContactGet(uint64(id))
		if rc == 0 {
			b.lend(record, outBytes, outLen)
		}
		return rc
	})
}

//export leadgoContactDelete
func leadgoContactDelete(h C.uintptr_t, id C.uint64_t) C.int {
	return guard(h, func(b *storeBox) int { return b.store.ContactDelete(uint64(id)) })
}

//export leadgoContactFind
func leadgoContactFind(h C.uintptr_t, byExternal C.int, key *C.char, outID *C.uint64_t) C.int {
	return guard(h, func(b *storeBox) int {
		id, rc := b.store.ContactFind(byExternal != 0, C.GoString(key))
		if rc == 0 {
			*outID = C.uint64_t(id)
		}
		return rc
	})
}

//export leadgoContactScan
func leadgoContactScan(h C.uintptr_t, fn C.lead_store_contact_fn, scanUser unsafe.Pointer) C.int {
	return guard(h, func(b *storeBox) int {
		return b.store.ContactScan(func(id uint64) bool {
			return C.leadgo_call_contact_fn(fn, scanUser, C.uint64_t(id)) != 0
		})
	})
}

//export leadgoEventAppend
func leadgoEventAppend(h C.uintptr_t, contactID C.uint64_t, timeMs C.int64_t, idemKey *C.char, bytes unsafe.Pointer, n C.size_t) C.int {
	return guard(h, func(b *storeBox) int {
		return b.store.EventAppend(uint64(contactID), int64(timeMs), goString(idemKey), C.GoBytes(bytes, C.int(n)))
	})
}

//export leadgoEventScan
func leadgoEventScan(h C.uintptr_t, contactID C.uint64_t, fromMs C.int64_t, fn C.lead_store_event_fn, scanUser unsafe.Pointer) C.int {
	return guard(h, func(b *storeBox) int {
		return b.store.EventScan(uint64(contactID), int64(fromMs), func(timeMs int64, record []byte) bool {
			// Go memory may be passed for the duration of a call; it holds no Go pointers.
			var p unsafe.Pointer
			if len(record) > 0 {
				p = unsafe.Pointer(&record[0])
			}
			return C.leadgo_call_event_fn(fn, scanUser, C.int64_t(timeMs), p, C.size_t(len(record))) != 0
		})
	})
}

//export leadgoEventFindKey
func leadgoEventFindKey(h C.uintptr_t, idemKey *C.char) C.int {
	return guard(h, func(b *storeBox) int { return b.store.EventFindKey(C.GoString(idemKey)) })
}

//export leadgoMetaPut
func leadgoMetaPut(h C.uintptr_t, key *C.char, bytes unsafe.Pointer, n C.size_t) C.int {
	return guard(h, func(b *storeBox) int {
		return b.store.MetaPut(C.GoString(key), C.GoBytes(bytes, C.int(n)))
	})
}

//export leadgoMetaGet
func leadgoMetaGet(h C.uintptr_t, key *C.char, outBytes *unsafe.Pointer, outLen *C.size_t) C.int {
	return guard(h, func(b *storeBox) int {
		record, rc := b.store.MetaGet(C.GoString(key))
		if rc == 0 {
			b.lend(record, outBytes, outLen)
		}
		return rc
	})
}

//export leadgoTransaction
func leadgoTransaction(h C.uintptr_t, step C.int) C.int {
	return guard(h, func(b *storeBox) int {
		switch step {
		case 0:
			return b.store.Begin()
		case 1:
			return b.store.Commit()
		default:
			return b.store.Rollback()
		}
	})
}

// StorePanics are the panics the engine's Go store callbacks raised (each
// returned StoreBug to the engine).
func (e *Engine) StorePanics() []interface{} {
	if e.store == nil {
		return nil
	}
	return e.store.Panics
}
