package lead

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	day  = int64(86400000)
	hour = int64(3600000)
)

// workedExampleModel reads the model of the worked example in
// docs/scoring-model.md; the C scoring suites score the same model.
func workedExampleModel(t *testing.T) string {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "scoring-model.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "## Worked example")
	_, block, _ := strings.Cut(section, "```text\n")
	model, _, found := strings.Cut(block, "```")
	if !found {
		t.Fatal("no worked example model in docs/scoring-model.md")
	}
	return model
}

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
	expectWorkedExampleScore(t, s.alloc, ada, adaEvents)
}

// expectWorkedExampleScore scores attributes and events under the worked
// example's model at t0 + 14 days and checks the C suite's figures.
func expectWorkedExampleScore(t *testing.T, alloc *Allocator, attributes map[string]string, events []Event) {
	t.Helper()
	model, err := NewScoreModel(alloc)
	if err != nil {
		t.Fatal(err)
	}
	defer model.Close()
	if err := model.Parse(workedExampleModel(t)); err != nil {
		t.Fatal(err)
	}
	score, err := model.Evaluate(attributes, events, t0+14*day)
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
	if !reflect.DeepEqual(score.Items, workedItems) {
		t.Errorf("explanation:\n got %+v\nwant %+v", score.Items, workedItems)
	}
}

const itemFit, itemBase, itemEvent = 1, 2, 3

// workedItems is the worked example's explanation (centipoints).
var workedItems = []ScoreItem{
	{itemFit, 0, "job_title", 0, 0, 2000, 2857},
	{itemFit, 1, "employees", 0, 0, 1500, 2143},
	{itemFit, 2, "industry", 0, 0, 1000, 1429},
	{itemFit, 4, "phone", 0, 0, 500, 714},
	{itemBase, 0, "", 0, 0, 1000, 1428},
	{itemEvent, 0, "email_open", 0, t0, 1000, 250},
	{itemEvent, 0, "email_open", 1, t0 + hour, 1000, 251},
	{itemEvent, 0, "email_open", 2, t0 + day, 1000, 276},
	{itemEvent, 0, "email_open", 4, t0 + 7*day, 1000, 500},
	{itemEvent, 1, "page_view", 5, t0 + 7*day, 500, 99},
	{itemEvent, 2, "demo_request", 6, t0 + 10*day, 3000, 3000},
	{itemEvent, 4, "form_submit", 8, t0 + 12*day, 1500, 1231},
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
