package lead

import (
	"reflect"
	"sort"
	"testing"
)

type storedEvent struct {
	TimeMs int64
	Record []byte
}

// storeState is everything memStore holds; a transaction keeps one to
// restore on rollback, and the tests compare them.
type storeState struct {
	Contacts  map[uint64][]byte
	Emails    map[string]uint64
	Externals map[string]uint64
	Events    map[uint64][]storedEvent
	IdemKeys  map[string]bool
	Meta      map[string][]byte
}

func (s storeState) copy() storeState {
	c := storeState{map[uint64][]byte{}, map[string]uint64{}, map[string]uint64{},
		map[uint64][]storedEvent{}, map[string]bool{}, map[string][]byte{}}
	for k, v := range s.Contacts {
		c.Contacts[k] = v
	}
	for k, v := range s.Emails {
		c.Emails[k] = v
	}
	for k, v := range s.Externals {
		c.Externals[k] = v
	}
	for k, v := range s.Events {
		c.Events[k] = append([]storedEvent(nil), v...)
	}
	for k, v := range s.IdemKeys {
		c.IdemKeys[k] = v
	}
	for k, v := range s.Meta {
		c.Meta[k] = v
	}
	return c
}

// memStore is the engine's store as Go maps. fail makes a slot return that
// code without changing anything; calls counts the calls of each slot.
type memStore struct {
	storeState
	undo  *storeState
	fail  map[string]int
	calls map[string]int
}

func newMemStore() *memStore {
	return &memStore{storeState: storeState{}.copy(), fail: map[string]int{}, calls: map[string]int{}}
}

func (s *memStore) enter(slot string) int {
	s.calls[slot]++
	return s.fail[slot]
}

// keysOf finds a contact's index keys (an index maps key -> id only).
func keysOf(index map[string]uint64, id uint64) {
	for k, v := range index {
		if v == id {
			delete(index, k)
		}
	}
}

func (s *memStore) ContactPut(id uint64, email, externalID string, record []byte) int {
	if rc := s.enter("contact_put"); rc != 0 {
		return rc
	}
	keysOf(s.Emails, id)
	keysOf(s.Externals, id)
	s.Contacts[id] = record
	if email != "" {
		s.Emails[email] = id
	}
	if externalID != "" {
		s.Externals[externalID] = id
	}
	return 0
}

// get is a lookup through slot: the record, ENOTFOUND, or the injected failure.
func (s *memStore) get(slot string, record []byte, found bool) ([]byte, int) {
	if rc := s.enter(slot); rc != 0 {
		return nil, rc
	}
	if !found {
		return nil, ENOTFOUND
	}
	return record, 0
}

func (s *memStore) ContactGet(id uint64) ([]byte, int) {
	record, found := s.Contacts[id]
	return s.get("contact_get", record, found)
}

func (s *memStore) ContactDelete(id uint64) int {
	if rc := s.enter("contact_delete"); rc != 0 {
		return rc
	}
	if _, ok := s.Contacts[id]; !ok {
		return ENOTFOUND
	}
	delete(s.Contacts, id)
	keysOf(s.Emails, id)
	keysOf(s.Externals, id)
	delete(s.Events, id) // the idempotency keys stay
	return 0
}

func (s *memStore) ContactFind(byExternal bool, key string) (uint64, int) {
	index, slot := s.Emails, "contact_find_email"
	if byExternal {
		index, slot = s.Externals, "contact_find_external"
	}
	if rc := s.enter(slot); rc != 0 {
		return 0, rc
	}
	id, ok := index[key]
	if !ok {
		return 0, ENOTFOUND
	}
	return id, 0
}

func (s *memStore) ContactScan(visit func(uint64) bool) int {
	if rc := s.enter("contact_scan"); rc != 0 {
		return rc
	}
	ids := make([]uint64, 0, len(s.Contacts))
	for id := range s.Contacts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if visit(id) {
			break
		}
	}
	return 0
}

func (s *memStore) EventAppend(contactID uint64, timeMs int64, idemKey string, record []byte) int {
	if rc := s.enter("event_append"); rc != 0 {
		return rc
	}
	s.Events[contactID] = append(s.Events[contactID], storedEvent{timeMs, record})
	if idemKey != "" {
		s.IdemKeys[idemKey] = true
	}
	return 0
}

func (s *memStore) EventScan(contactID uint64, fromMs int64, visit func(int64, []byte) bool) int {
	if rc := s.enter("event_scan"); rc != 0 {
		return rc
	}
	events := append([]storedEvent(nil), s.Events[contactID]...)
	// Stable: equal times stay in append order.
	sort.SliceStable(events, func(i, j int) bool { return events[i].TimeMs < events[j].TimeMs })
	for _, ev := range events {
		if ev.TimeMs >= fromMs && visit(ev.TimeMs, ev.Record) {
			break
		}
	}
	return 0
}

func (s *memStore) EventFindKey(idemKey string) int {
	if rc := s.enter("event_find_key"); rc != 0 {
		return rc
	}
	if !s.IdemKeys[idemKey] {
		return ENOTFOUND
	}
	return 0
}

func (s *memStore) MetaPut(key string, value []byte) int {
	if rc := s.enter("meta_put"); rc != 0 {
		return rc
	}
	s.Meta[key] = value
	return 0
}

func (s *memStore) MetaGet(key string) ([]byte, int) {
	value, found := s.Meta[key]
	return s.get("meta_get", value, found)
}

func (s *memStore) Begin() int {
	if rc := s.enter("begin"); rc != 0 {
		return rc
	}
	saved := s.storeState.copy()
	s.undo = &saved
	return 0
}

func (s *memStore) Commit() int {
	if rc := s.enter("commit"); rc != 0 {
		return rc
	}
	s.undo = nil
	return 0
}

func (s *memStore) Rollback() int {
	s.calls["rollback"]++
	s.storeState, s.undo = *s.undo, nil
	return 0
}

func (s *scenario) must(id uint64, err error) uint64 {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

func (s *scenario) expect(what string, got, want interface{}) {
	s.t.Helper()
	if !reflect.DeepEqual(got, want) {
		s.t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

func TestContactsLiveInTheGoStore(t *testing.T) {
	s := start(t)
	e := s.engine
	s.expect("first id", s.must(e.CreateContact(" Ann@Example.com", "crm-7", 0)), uint64(1))
	s.expect("second id", s.must(e.CreateContact("", "", 0)), uint64(2))
	_, err := e.CreateContact("ann@EXAMPLE.com", "", 0)
	expectError(t, err, EEXISTS, "email already belongs to contact 1")
	s.expect("duplicate used", s.must(e.CreateContact("ann@example.com", "", DuplicateUse)), uint64(1))
	s.expect("by email", s.must(e.Find(false, "ANN@example.com")), uint64(1))
	s.expect("by external id", s.must(e.Find(true, "crm-7")), uint64(1))
	_, err = e.Find(false, "zed@example.com")
	expectError(t, err, ENOTFOUND, "no contact with this email")
	ann, err := e.Contact(1)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("fields", ann.Fields, map[string]string{"email": "ann@example.com"})
	s.expect("stage", ann.Stage, StageSubscriber)
	s.expect("history", ann.History, []StageSpan{{"subscriber", t0, TimeUnknown, ReasonCreated, 0}})
	// What the engine wrote, seen from the Go side.
	s.expect("emails", s.store.Emails, map[string]uint64{"ann@example.com": 1})
	s.expect("external ids", s.store.Externals, map[string]uint64{"crm-7": 1})
	s.expect("contacts", len(s.store.Contacts), 2)
	s.expect("record header", s.store.Contacts[1][:4], []byte("LR\x01\x02"))
	_, counter := s.store.Meta["contact.next_id"]
	s.expect("meta", []interface{}{len(s.store.Meta), counter}, []interface{}{1, true})
}

func TestEventsStageHistoryAndReplay(t *testing.T) {
	s := start(t)
	e := s.engine
	c := s.must(e.CreateContact("a@x.io", "", 0))
	s.expect("page_view", s.must(e.Track(c, "page_view", "organic_search", t0+1000, "", "")), uint64(1))
	s.expect("form_submit", s.must(e.Track(c, "form_submit", "paid_search", t0+2000, "", "")), uint64(2))
	s.expect("download", s.must(e.Track(c, "download", "email", t0+3000, "msg-1", "")), uint64(3))
	stored := s.store.storeState.copy()
	s.expect("replay", s.must(e.Track(c, "download", "email", t0+3000, "msg-1", "")), uint64(0))
	s.expect("store after the replay", s.store.storeState, stored)
	contact, err := e.Contact(c)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("stage", contact.Stage, StageLead)
	s.expect("event count", contact.EventCount, uint64(3))
	s.expect("history", contact.History, []StageSpan{
		{"subscriber", t0, t0 + 2000, ReasonCreated, 0},
		{"lead", t0 + 2000, TimeUnknown, ReasonEvent, 2}})
	events, err := e.Events(c, t0+2000)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("events", events, []TrackedEvent{
		{2, "form_submit", "paid_search", t0 + 2000, ""},
		{3, "download", "email", t0 + 3000, ""}})
	s.expect("stored events", len(s.store.Events[c]), 3)
	s.expect("idempotency keys", s.store.IdemKeys, map[string]bool{"msg-1": true})
	// Every track is one transaction, the replay too (it wrote nothing).
	s.expect("transactions", []int{s.store.calls["begin"], s.store.calls["commit"],
		s.store.calls["rollback"]}, []int{4, 4, 0})
}

// createAda creates Ada of the worked example as an engine contact: her
// fields and attributes (the email gives her email_domain).
func (s *scenario) createAda() uint64 {
	s.t.Helper()
	e := s.engine
	c := s.must(e.CreateContact(" Ada@Example.COM", "", 0))
	for _, err := range []error{e.SetField(c, FieldJobTitle, ada["job_title"]),
		e.SetField(c, FieldIndustry, ada["industry"]), e.SetField(c, FieldPhone, ada["phone"]),
		e.SetAttr(c, "employees", ada["employees"]), e.SetAttr(c, "timeline", ada["timeline"])} {
		if err != nil {
			s.t.Fatal(err)
		}
	}
	return c
}

// trackAda tracks worked-example events for contact c, the page path in content.
func (s *scenario) trackAda(c uint64, events []Event) {
	s.t.Helper()
	for _, ev := range events {
		s.must(s.engine.Track(c, ev.Type, ev.Channel, ev.TimeMs, "", ev.Properties["path"]))
	}
}

func TestScoreOfWhatTheEngineReadBack(t *testing.T) {
	s := start(t)
	e := s.engine
	c := s.createAda()
	s.trackAda(c, adaEvents)
	// The subject is built only from what comes back out of the engine.
	contact, err := e.Contact(c)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("email", contact.Fields["email"], "ada@example.com")
	attributes := map[string]string{"email_domain": "example.com"}
	for name, value := range contact.Fields {
		if name != "email" {
			attributes[name] = value
		}
	}
	for name, value := range contact.Attrs {
		attributes[name] = value
	}
	s.expect("attributes", attributes, ada)
	tracked, err := e.Events(c, TimeUnknown)
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	for _, ev := range tracked {
		var properties map[string]string
		if ev.Content != "" {
			properties = map[string]string{"path": ev.Content}
		}
		events = append(events, Event{ev.Type, ev.Channel, ev.TimeMs, properties})
	}
	s.expect("events", events, adaEvents)
	expectWorkedExampleScore(t, s.alloc, attributes, events)
}

func TestAFailingStoreCallbackLeavesNothingHalfWritten(t *testing.T) {
	s := start(t)
	e := s.engine
	c := s.must(e.CreateContact("a@x.io", "", 0))
	s.expect("page_view", s.must(e.Track(c, "page_view", "organic_search", t0+1000, "", "")), uint64(1))
	before := s.store.storeState.copy()
	for _, f := range []struct {
		slot, detail string
		code         int
	}{
		{"event_append", "store event_append failed (returned 99)", 99},
		{"contact_put", "store contact_put failed (returned 42)", 42},
		{"commit", "store commit failed (returned 7)", 7},
	} {
		s.store.fail = map[string]int{f.slot: f.code}
		_, err := e.Track(c, "form_submit", "paid_search", t0+2000, "msg-2", "")
		expectError(t, err, ESTORE, f.detail)
		s.expect("store after a failed "+f.slot, s.store.storeState, before)
	}
	s.expect("strerror", StrError(ESTORE), "store callback failed")
	s.expect("rollbacks", s.store.calls["rollback"], 3)
	s.store.fail = map[string]int{}
	contact, err := e.Contact(c)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("stage and count", []interface{}{contact.Stage, contact.EventCount},
		[]interface{}{StageSubscriber, uint64(1)})
	// The rolled-back id is handed out again, and the key was never remembered.
	s.expect("retry", s.must(e.Track(c, "form_submit", "paid_search", t0+2000, "msg-2", "")), uint64(2))
	contact, err = e.Contact(c)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("stage after the retry", contact.Stage, StageLead)
}

func TestAFailingClockStoresNothing(t *testing.T) {
	s := start(t)
	s.clock.failWith = 7
	_, err := s.engine.CreateContact("a@x.io", "", 0)
	expectError(t, err, ECLOCK, "clock callback failed (returned 7)")
	s.expect("store", s.store.storeState, newMemStore().storeState)
	s.clock.failWith = 0
	s.expect("after healing", s.must(s.engine.CreateContact("a@x.io", "", 0)), uint64(1))
}
