package sts

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/emulator/internal/region"
)

func TestGetCallerIdentityInTheRequestsPartition(t *testing.T) {
	s := &Service{ARNs: region.ARNs{Default: "us-east-1", Account: "111122223333"}}
	for reg, arn := range map[string]string{
		"us-east-1":     "arn:aws:iam::111122223333:user/local",
		"cn-north-1":    "arn:aws-cn:iam::111122223333:user/local",
		"us-gov-west-1": "arn:aws-us-gov:iam::111122223333:user/local",
	} {
		body := "Action=GetCallerIdentity&Version=2011-06-15"
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r = r.WithContext(region.With(r.Context(), reg))
		w := httptest.NewRecorder()
		s.Serve(w, r, []byte(body))
		if w.Code != 200 || !strings.Contains(w.Body.String(), "<Arn>"+arn+"</Arn>") || !strings.Contains(w.Body.String(), "<Account>111122223333</Account>") {
			t.Errorf("%s: %d %s", reg, w.Code, w.Body)
		}
	}
}

func TestUnknownActionIsAQueryError(t *testing.T) {
	s := &Service{ARNs: region.ARNs{Default: "us-east-1", Account: "111122223333"}}
	r := httptest.NewRequest(http.MethodGet, "/?Action=AssumeRole&Version=2011-06-15", nil)
	w := httptest.NewRecorder()
	s.Serve(w, r, nil)
	if b := w.Body.String(); w.Code != 400 || !strings.Contains(b, "<ErrorResponse") || !strings.Contains(b, "<Code>InvalidAction</Code>") ||
		!strings.Contains(b, "Could not find operation AssumeRole for version 2011-06-15") {
		t.Errorf("%d %s", w.Code, b)
	}
}
