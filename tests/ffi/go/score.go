package lead

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"unsafe"
)

// ScoreModel is a scoring model in the text format, on a Go allocator.
type ScoreModel struct {
	ptr    *C.lead_score_model
	handle cgo.Handle
}

// NewScoreModel is lead_score_model_new with alloc as the allocator.
func NewScoreModel(alloc *Allocator) (*ScoreModel, error) {
	m := &ScoreModel{handle: cgo.NewHandle(alloc)}
	if rc := C.leadgo_score_model_new(&m.ptr, C.uintptr_t(m.handle)); rc != OK {
		m.handle.Delete()
		return nil, &Error{Code: int(rc), Detail: "lead_score_model_new"}
	}
	return m, nil
}

// Parse replaces the model with text; a failure says line:column: why.
func (m *ScoreModel) Parse(text string) error {
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	rc := C.lead_score_model_parse(m.ptr, ctext, C.size_t(len(text)))
	if rc == OK {
		return nil
	}
	var line, column C.uint32_t
	var message *C.char
	C.lead_score_model_error(m.ptr, &line, &column, &message)
	return &Error{Code: int(rc), Detail: fmt.Sprintf("%d:%d: %s", line, column, C.GoString(message))}
}

// Close frees the model.
func (m *ScoreModel) Close() {
	C.lead_score_model_free(m.ptr)
	m.handle.Delete()
}

// Event is one event of a scored contact.
type Event struct {
	Type, Channel string
	TimeMs        int64
	Properties    map[string]string
}

// ScoreItem is one line of a score's explanation (centipoints).
type ScoreItem struct {
	Kind       int32
	Rule       uint32
	Subject    string
	EventIndex uint64
	EventTime  int64
	Raw, Value int64
}

// Score is a score with its explanation.
type Score struct {
	Fit, Behaviour, Total int64
	Grade                 byte
	Bant                  uint32
	Stage                 int32 // -1: no stage threshold met
	StageRule             int
	Items                 []ScoreItem
}

// cstrings copies Go strings to C and frees them all at once.
type cstrings []*C.char

func (c *cstrings) get(s string) *C.char {
	p := C.CString(s)
	*c = append(*c, p)
	return p
}

func (c cstrings) free() {
	for _, p := range c {
		C.free(unsafe.Pointer(p))
	}
}

// Evaluate scores a contact with attributes and events at atMs.
func (m *ScoreModel) Evaluate(attributes map[string]string, events []Event, atMs int64) (*Score, error) {
	var subject *C.lead_score_subject
	rc := C.leadgo_score_subject_new(&subject, C.uintptr_t(m.handle))
	defer C.lead_score_subject_free(subject)
	var strs cstrings
	defer strs.free()
	for name, value := range attributes {
		if rc == OK {
			rc = C.lead_score_subject_set(subject, strs.get(name), strs.get(value))
		}
	}
	for _, e := range events {
		if rc == OK {
			rc = C.lead_score_subject_add_event(subject, strs.get(e.Type), strs.get(e.Channel), nil,
				C.int64_t(e.TimeMs))
		}
		for name, value := range e.Properties {
			if rc == OK {
				rc = C.lead_score_subject_add_property(subject, strs.get(name), strs.get(value))
			}
		}
	}
	var result *C.lead_score_result
	if rc == OK {
		rc = C.lead_score_evaluate(&result, m.ptr, subject, C.int64_t(atMs))
	}
	if rc != OK {
		return nil, &Error{Code: int(rc), Detail: "scoring"}
	}
	defer C.lead_score_result_free(result)
	return readScore(result), nil
}

func readScore(result *C.lead_score_result) *Score {
	var fit, behaviour, total C.int64_t
	C.lead_score_result_scores(result, &fit, &behaviour, &total)
	var grade C.char
	C.lead_score_result_grade(result, &grade)
	var bant C.uint32_t
	C.lead_score_result_bant(result, &bant)
	s := &Score{Fit: int64(fit), Behaviour: int64(behaviour), Total: int64(total),
		Grade: byte(grade), Bant: uint32(bant), Stage: -1}
	var stage C.int32_t
	var rule C.size_t
	if C.lead_score_result_stage(result, &stage, &rule) == OK {
		s.Stage, s.StageRule = int32(stage), int(rule)
	}
	var count C.size_t
	C.lead_score_result_item_count(result, &count)
	for i := C.size_t(0); i < count; i++ {
		var item C.lead_score_item
		C.lead_score_item_init(&item, C.uint32_t(unsafe.Sizeof(item)))
		C.lead_score_result_item(result, i, &item)
		s.Items = append(s.Items, ScoreItem{Kind: int32(item.kind), Rule: uint32(item.rule),
			Subject: C.GoString(item.subject), EventIndex: uint64(item.event_index),
			EventTime: int64(item.event_time), Raw: int64(item.raw), Value: int64(item.value)})
	}
	return s
}

// StageName is lead_stage_name.
func StageName(stage int32) string { return C.GoString(C.lead_stage_name(C.int(stage))) }
