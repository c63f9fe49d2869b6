package lead

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// Status, stage and reason values of the engine's scores (include/lead/common.h,
// stage.h, contact.h).
const (
	ECANCELED       = -15
	StageSQL        = C.LEAD_STAGE_SQL
	ReasonThreshold = C.LEAD_REASON_THRESHOLD
)

// Attach attaches a copy of model under name (lead_engine_score_attach).
func (e *Engine) Attach(name string, model *ScoreModel) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return e.check(C.lead_engine_score_attach(e.ptr, cname, model.ptr))
}

// Detach is lead_engine_score_detach.
func (e *Engine) Detach(name string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return e.check(C.lead_engine_score_detach(e.ptr, cname))
}

// Models lists the names of the attached models in attach order.
func (e *Engine) Models() ([]string, error) {
	var count C.size_t
	if err := e.check(C.lead_engine_score_count(e.ptr, &count)); err != nil {
		return nil, err
	}
	names := []string{}
	for i := C.size_t(0); i < count; i++ {
		var name *C.char
		if err := e.check(C.lead_engine_score_name(e.ptr, i, &name)); err != nil {
			return nil, err
		}
		names = append(names, C.GoString(name))
	}
	return names, nil
}

// Score is lead_engine_score: contact id's score under the attached model at atMs.
func (e *Engine) Score(model string, id uint64, atMs int64) (*Score, error) {
	cmodel := C.CString(model)
	defer C.free(unsafe.Pointer(cmodel))
	var result *C.lead_score_result
	if err := e.check(C.lead_engine_score(&result, e.ptr, cmodel, C.uint64_t(id), C.int64_t(atMs))); err != nil {
		return nil, err
	}
	defer C.lead_score_result_free(result)
	return readScore(result), nil
}

// rescoreCall is what a rescore's progress handle names: the Go callback
// and the panic it raised, if any.
type rescoreCall struct {
	progress func(done, total uint64) (stop bool)
	panicked interface{}
}

//export leadgoRescoreProgress
func leadgoRescoreProgress(h C.uintptr_t, done, total C.uint64_t) (stop C.int) {
	call := cgo.Handle(h).Value().(*rescoreCall)
	// A panic must not unwind through the engine's C frames: it stops the
	// rescore and is raised again once C has returned.
	defer func() {
		if r := recover(); r != nil {
			call.panicked = r
			stop = 1
		}
	}()
	if call.progress(uint64(done), uint64(total)) {
		return 1
	}
	return 0
}

// Rescore is lead_engine_rescore under model ("" for every attached model);
// progress, when not nil, is called after each contact and stops the
// rescore by returning true.
func (e *Engine) Rescore(model string, progress func(done, total uint64) (stop bool)) error {
	cmodel := cOrNil(model)
	defer C.free(unsafe.Pointer(cmodel))
	call := &rescoreCall{progress: progress}
	handle := cgo.Handle(0)
	if progress != nil {
		handle = cgo.NewHandle(call)
		defer handle.Delete()
	}
	rc := C.leadgo_engine_rescore(e.ptr, cmodel, C.uintptr_t(handle))
	if call.panicked != nil {
		panic(call.panicked)
	}
	return e.check(rc)
}
