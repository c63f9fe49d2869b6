package lead

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Contact is a snapshot of a contact read back from the engine.
type Contact struct {
	Fields     map[string]string // the standard fields that are set, by name
	Attrs      map[string]string // string custom attributes
	Stage      int
	EventCount uint64
	History    []StageSpan
}

// StageSpan is one entry of a contact's stage history.
type StageSpan struct {
	Stage           string
	Entered, Exited int64
	Reason          int
	EventID         uint64
}

// TrackedEvent is an event read back through the event iterator.
type TrackedEvent struct {
	ID            uint64
	Type, Channel string
	TimeMs        int64
	Content       string
}

// Standard fields and stage values the tests use (include/lead/contact.h, stage.h).
const (
	FieldEmail      = C.LEAD_FIELD_EMAIL
	FieldPhone      = C.LEAD_FIELD_PHONE
	FieldJobTitle   = C.LEAD_FIELD_JOB_TITLE
	FieldIndustry   = C.LEAD_FIELD_INDUSTRY
	StageSubscriber = C.LEAD_STAGE_SUBSCRIBER
	StageLead       = C.LEAD_STAGE_LEAD
	ReasonCreated   = C.LEAD_REASON_CREATED
	ReasonEvent     = C.LEAD_REASON_EVENT
	TimeUnknown     = int64(C.LEAD_TIME_UNKNOWN)
	DuplicateUse    = C.LEAD_DUPLICATE_USE
)

var fieldNames = map[C.int]string{FieldEmail: "email", FieldJobTitle: "job_title",
	FieldIndustry: "industry", FieldPhone: "phone"}

// cOrNil is a C copy of s, NULL for "" (the caller frees it).
func cOrNil(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// CreateContact is lead_contact_create; "" passes NULL.
func (e *Engine) CreateContact(email, externalID string, onDuplicate int) (uint64, error) {
	cemail, cext := cOrNil(email), cOrNil(externalID)
	defer C.free(unsafe.Pointer(cemail))
	defer C.free(unsafe.Pointer(cext))
	var id C.uint64_t
	err := e.check(C.lead_contact_create(e.ptr, &id, cemail, cext, C.int(onDuplicate)))
	return uint64(id), err
}

// Find is lead_contact_find_email, or lead_contact_find_external when byExternal.
func (e *Engine) Find(byExternal bool, key string) (uint64, error) {
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var id C.uint64_t
	rc := C.lead_contact_find_email(e.ptr, &id, ckey)
	if byExternal {
		rc = C.lead_contact_find_external(e.ptr, &id, ckey)
	}
	return uint64(id), e.check(rc)
}

// SetField is lead_contact_set_field.
func (e *Engine) SetField(id uint64, field int, value string) error {
	cvalue := cOrNil(value)
	defer C.free(unsafe.Pointer(cvalue))
	return e.check(C.lead_contact_set_field(e.ptr, C.uint64_t(id), C.int(field), cvalue))
}

// SetAttr sets a string custom attribute.
func (e *Engine) SetAttr(id uint64, name, value string) error {
	cname, cvalue := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cname))
	defer C.free(unsafe.Pointer(cvalue))
	return e.check(C.lead_contact_set_attr(e.ptr, C.uint64_t(id), cname, C.LEAD_ATTR_STRING, 0, 0, cvalue))
}

// Track is lead_track of an event given by type and channel names; the id
// is 0 for a replayed idempotency key. key and content "" pass NULL.
func (e *Engine) Track(id uint64, typ, channel string, timeMs int64, key, content string) (uint64, error) {
	var in C.lead_event_input
	C.lead_event_input_init(&in, C.uint32_t(unsafe.Sizeof(in)))
	var strs cstrings
	defer strs.free()
	var t, ch C.int
	if err := e.check(C.lead_event_type_from_name(strs.get(typ), &t)); err != nil {
		return 0, err
	}
	if err := e.check(C.lead_channel_from_name(strs.get(channel), &ch)); err != nil {
		return 0, err
	}
	in.contact_id, in._type, in.channel, in.time_ms = C.uint64_t(id), C.int32_t(t), C.int32_t(ch), C.int64_t(timeMs)
	if key != "" {
		in.idempotency_key = strs.get(key)
	}
	if content != "" {
		in.content = strs.get(content)
	}
	var out C.uint64_t
	err := e.check(C.lead_track(e.ptr, &out, &in))
	return uint64(out), err
}

// Contact reads a snapshot of contact id.
func (e *Engine) Contact(id uint64) (*Contact, error) {
	var snap *C.lead_contact
	if err := e.check(C.lead_contact_get(&snap, e.ptr, C.uint64_t(id))); err != nil {
		return nil, err
	}
	defer C.lead_contact_free(snap)
	c := &Contact{Fields: map[string]string{}, Attrs: map[string]string{}}
	for field, name := range fieldNames {
		var value *C.char
		if C.lead_contact_field(snap, field, &value); value != nil {
			c.Fields[name] = C.GoString(value)
		}
	}
	var stage C.int
	var events C.uint64_t
	var n C.size_t
	C.lead_contact_stage(snap, &stage)
	C.lead_contact_event_count(snap, &events)
	c.Stage, c.EventCount = int(stage), uint64(events)
	C.lead_contact_stage_history_count(snap, &n)
	for i := C.size_t(0); i < n; i++ {
		var s, reason C.int
		var entered, exited C.int64_t
		var event C.uint64_t
		C.lead_contact_stage_history_at(snap, i, &s, &entered, &exited, &reason, &event)
		c.History = append(c.History, StageSpan{C.GoString(C.lead_stage_name(s)), int64(entered),
			int64(exited), int(reason), uint64(event)})
	}
	C.lead_contact_attr_count(snap, &n)
	for i := C.size_t(0); i < n; i++ {
		var name, value *C.char
		var typ C.int
		C.lead_contact_attr_at(snap, i, &name, &typ, nil, nil, &value)
		c.Attrs[C.GoString(name)] = C.GoString(value)
	}
	return c, nil
}

// Events reads the contact's events at or after fromMs in time order.
func (e *Engine) Events(id uint64, fromMs int64) ([]TrackedEvent, error) {
	var it *C.lead_event_iter
	if err := e.check(C.lead_event_iter_new(&it, e.ptr, C.uint64_t(id), C.int64_t(fromMs))); err != nil {
		return nil, err
	}
	defer C.lead_event_iter_free(it)
	var events []TrackedEvent
	for {
		var ev *C.lead_event
		rc := C.lead_event_iter_next(it, &ev)
		if rc == C.LEAD_ITEROVER {
			return events, nil
		}
		if err := e.check(rc); err != nil {
			return nil, err
		}
		var eid C.uint64_t
		var typ, channel C.int
		var t C.int64_t
		var content *C.char
		C.lead_event_ids(ev, &eid, nil, &typ, &channel)
		C.lead_event_time(ev, &t)
		C.lead_event_string(ev, C.LEAD_EVENT_CONTENT, &content)
		events = append(events, TrackedEvent{uint64(eid), C.GoString(C.lead_event_type_name(typ)),
			C.GoString(C.lead_channel_name(channel)), int64(t), goString(content)})
	}
}

// String shows a span as the tests print it.
func (s StageSpan) String() string {
	return fmt.Sprintf("%s[%d,%d) reason %d event %d", s.Stage, s.Entered, s.Exited, s.Reason, s.EventID)
}
