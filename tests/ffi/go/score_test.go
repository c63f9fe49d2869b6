package lead

import (
	"reflect"
	"testing"
)

const (
	day  = int64(86400000)
	hour = int64(3600000)
)

// workedExampleModel is the worked example of docs/scoring-model.md, as the
// C scoring suites use it.
const workedExampleModel = `liblead-score 1
name "Enterprise SaaS"
half-life 7d
grade A 80
grade B 60
grade C 40
grade D 20
bant budget 10
bant authority 20
bant need 10
bant timeline 10
fit authority 20 job_title contains "vp" "director" "head of" "chief"
fit budget 15 employees range 200 *
fit need 10 industry one-of "software" "fintech"
fit timeline 10 timeline equals "this quarter"
fit profile 5 phone exists
fit profile -10 email_domain one-of "gmail.com" "yahoo.com"
behaviour 10 email_open cap 3 per 7d
behaviour 5 page_view property "path" "/pricing" half-life 3d
behaviour 30 demo_request once half-life none
behaviour -25 unsubscribe
behaviour 15 form_submit channel "paid_search"
behaviour-cap 100
behaviour-floor -50
stage mql fit 40 behaviour 20
stage sql bant 3
`

var ada = map[string]string{"job_title": "VP Engineering", "employees": "1200",
	"industry": "software", "timeline": "next year", "phone": "+49301234567",
	"email_domain": "example.com"}

var adaEvents = []Event{
	{"email_open", "email", t0, nil},
	{"email_open", "email", t0 + hour, nil},
	{"email_open", "email", t0 + day, nil},
	{"email_open", "email", t0 + 2*day, nil},
	{"email_open", "email", t0 + 7*day, nil},
	{"page_view", "organic_search", t0 + 7*day, map[string]string{"path": "/pricing"}},
	{"demo_request", "direct", t0 + 10*day, nil},
	{"page_view", "direct", t0 + 11*day, map[string]string{"path": "/blog"}},
	{"form_submit", "paid_search", t0 + 12*day, nil},
	{"form_submit", "email", t0 + 13*day, nil},
}

func TestScoreWithItsExplanation(t *testing.T) {
	s := start(t)
	model, err := NewScoreModel(s.alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()
	if err := model.Parse(workedExampleModel); err != nil {
		t.Fatal(err)
	}
	score, err := model.Evaluate(ada, adaEvents, t0+14*day)
	if err != nil {
		t.Fatal(err)
	}
	if score.Fit != 8571 || score.Behaviour != 5607 || score.Total != 14178 || score.Grade != 'A' ||
		score.Bant != 1|2|4 || score.Stage != 3 || score.StageRule != 1 {
		t.Errorf("got %+v", *score)
	}
	if name := StageName(score.Stage); name != "sql" {
		t.Errorf("stage name %q", name)
	}
	const fit, base, event = 1, 2, 3
	want := []ScoreItem{
		{fit, 0, "job_title", 0, 0, 2000, 2857},
		{fit, 1, "employees", 0, 0, 1500, 2143},
		{fit, 2, "industry", 0, 0, 1000, 1429},
		{fit, 4, "phone", 0, 0, 500, 714},
		{base, 0, "", 0, 0, 1000, 1428},
		{event, 0, "email_open", 0, t0, 1000, 250},
		{event, 0, "email_open", 1, t0 + hour, 1000, 251},
		{event, 0, "email_open", 2, t0 + day, 1000, 276},
		{event, 0, "email_open", 4, t0 + 7*day, 1000, 500},
		{event, 1, "page_view", 5, t0 + 7*day, 500, 99},
		{event, 2, "demo_request", 6, t0 + 10*day, 3000, 3000},
		{event, 4, "form_submit", 8, t0 + 12*day, 1500, 1231},
	}
	if !reflect.DeepEqual(score.Items, want) {
		t.Errorf("explanation:\n got %+v\nwant %+v", score.Items, want)
	}
}

func TestScoreModelErrorsSayWhere(t *testing.T) {
	s := start(t)
	model, err := NewScoreModel(s.alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()
	expectError(t, model.Parse("liblead-score 1\nstage mql fit 101\n"), -7, "2:15: number out of range [0, 100]")
}
