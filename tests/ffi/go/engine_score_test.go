package lead

import "testing"

// parsedWorkedExample is the worked example's model, closed with the test.
func (s *scenario) parsedWorkedExample() *ScoreModel {
	s.t.Helper()
	model, err := NewScoreModel(s.alloc)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(model.Close)
	if err := model.Parse(workedExampleModel(s.t)); err != nil {
		s.t.Fatal(err)
	}
	return model
}

func (s *scenario) score(model string, id uint64, atMs int64) *Score {
	s.t.Helper()
	score, err := s.engine.Score(model, id, atMs)
	if err != nil {
		s.t.Fatal(err)
	}
	return score
}

func TestTheEngineScoresItsContacts(t *testing.T) {
	s := start(t)
	e := s.engine
	s.clock.now = t0 - day
	ada := s.createAda()
	s.expect("bob", s.must(e.CreateContact("bob@example.com", "", 0)), uint64(2))
	model := s.parsedWorkedExample()
	if err := e.Attach("enterprise", model); err != nil {
		t.Fatal(err)
	}
	expectError(t, e.Attach("enterprise", model), EEXISTS, "score attach: model enterprise is attached")
	models, err := e.Models()
	s.expect("models", []interface{}{models, err}, []interface{}{[]string{"enterprise"}, nil})
	at := t0 + 14*day
	// Attaching scores the fit at once but moves no stage.
	got := s.score("enterprise", ada, at)
	s.expect("attached", []int64{got.Fit, got.Behaviour, got.Total}, []int64{8571, 0, 8571})
	contact, err := e.Contact(ada)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("stage after attach", contact.Stage, StageSubscriber)
	// Tracking updates the score, and the first event that hits a rule
	// crosses the sql threshold (BANT 3 from the fit alone).
	s.trackAda(ada, adaEvents[:1])
	got = s.score("enterprise", ada, t0)
	s.expect("one event", []int64{got.Fit, got.Behaviour, got.Total}, []int64{8571, 1000, 9571})
	s.trackAda(ada, adaEvents[1:])
	if contact, err = e.Contact(ada); err != nil {
		t.Fatal(err)
	}
	s.expect("stage", contact.Stage, StageSQL)
	s.expect("history", contact.History, []StageSpan{
		{"subscriber", t0 - day, t0, ReasonCreated, 0},
		{"sql", t0, TimeUnknown, ReasonThreshold, 1}})
	// The engine's score equals the evaluation of a subject built from the
	// same contact as the engine shows it to a model: the page path is the
	// property "content", so the worked example's rule on "path" hits nothing.
	score := s.score("enterprise", ada, at)
	attributes := map[string]string{}
	for name, value := range contact.Fields {
		attributes[name] = value
	}
	for name, value := range contact.Attrs {
		attributes[name] = value
	}
	var events []Event
	for _, ev := range adaEvents {
		var properties map[string]string
		if path, ok := ev.Properties["path"]; ok {
			properties = map[string]string{"content": path}
		}
		events = append(events, Event{ev.Type, ev.Channel, ev.TimeMs, properties})
	}
	subject, err := model.Evaluate(attributes, events, at)
	if err != nil {
		t.Fatal(err)
	}
	s.expect("engine and subject", score, subject)
	if score.Fit != 8571 || score.Behaviour != 5508 || score.Total != 14079 || score.Grade != 'A' ||
		score.Bant != 1|2|4 || score.Stage != StageSQL || score.StageRule != 1 {
		t.Errorf("got %+v", *score)
	}
	withoutPath := append(append([]ScoreItem{}, workedItems[:9]...), workedItems[10:]...)
	s.expect("explanation", score.Items, withoutPath)
	// A rescore calls back into Go after each contact.
	var calls [][2]uint64
	record := func(done, total uint64) bool {
		calls = append(calls, [2]uint64{done, total})
		return false
	}
	if err := e.Rescore("enterprise", record); err != nil {
		t.Fatal(err)
	}
	s.expect("progress", calls, [][2]uint64{{1, 2}, {2, 2}})
	s.expect("after the rescore", s.score("enterprise", ada, at), score)
	// Returning true cancels it and keeps the previous state.
	calls = nil
	cancel := func(done, total uint64) bool {
		record(done, total)
		return true
	}
	expectError(t, e.Rescore("", cancel), ECANCELED, "rescore canceled after 1 contact")
	s.expect("progress until canceled", calls, [][2]uint64{{1, 2}})
	s.expect("after the canceled rescore", s.score("enterprise", ada, at), score)
	// A panic stops it too, and is raised again once C has returned.
	func() {
		defer func() { s.expect("panic", recover(), "boom") }()
		_ = e.Rescore("", func(done, total uint64) bool { panic("boom") })
	}()
	s.expect("after the panicking rescore", s.score("enterprise", ada, at), score)
	_, err = e.Score("nope", ada, at)
	expectError(t, err, ENOTFOUND, "score: no model nope")
	expectError(t, e.Rescore("nope", nil), ENOTFOUND, "rescore: no model nope")
	if err := e.Detach("enterprise"); err != nil {
		t.Fatal(err)
	}
	models, err = e.Models()
	s.expect("models after detach", []interface{}{models, err}, []interface{}{[]string{}, nil})
}
