package resource

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modelsrc"
)

func pinned(t *testing.T) (*model.Service, *Set) {
	t.Helper()
	dir, err := modelsrc.Pinned()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	svc, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	set, err := Discover(svc, ov)
	if err != nil {
		t.Fatal(err)
	}
	return svc, set
}

func TestDiscoverDump(t *testing.T) {
	svc, set := pinned(t)
	for _, r := range set.Resources {
		var ms []string
		for _, m := range r.Methods {
			o := ""
			if m.Object {
				o = "*"
			}
			ms = append(ms, m.Kind+":"+m.Name+o)
		}
		var ids []string
		for _, id := range r.Identifiers {
			ids = append(ids, id.Name)
		}
		st := ""
		if r.Status != nil {
			st = strings.Join(r.Status.Path, ".")
		}
		list := ""
		if r.List != nil {
			list = r.List.Items + "/" + r.List.Summary.Name
		}
		t.Logf("%s ids=%v arn=%v status=%s sec=%v reason=%v list=%s methods=%v", r.Name, ids, r.ARN, st, r.Secondary, r.Reason, list, ms)
	}
	var cl []string
	for _, op := range set.Client {
		cl = append(cl, op.Name)
	}
	t.Logf("client: %v", cl)
	t.Logf("warnings: %v", set.Warnings)
	c, n := set.Coverage(svc)
	t.Logf("coverage %d/%d, %d resources", c, n, len(set.Resources))
	_ = slices.Contains[[]string]
}
