// Package sts is the local endpoint's STS: GetCallerIdentity, over the
// query protocol.
package sts

import (
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/smcore-go/smcore/emulator/internal/awserr"
	"github.com/smcore-go/smcore/emulator/internal/region"
)

// STS serves GetCallerIdentity over the query protocol (a form with
// Action and Version, answered in XML): the caller is the IAM user "local"
// of the server's account. Any other action is an InvalidAction error.

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// Service is STS. It has no state: the caller is always the same user.
type Service struct {
	region.ARNs
	Logger *slog.Logger // nil: none
}

// Serve answers STS's query protocol; body is the request's verified body.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, body []byte) {
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		posted, err := url.ParseQuery(string(body))
		if err != nil {
			awserr.WriteQuery(w, http.StatusBadRequest, "Sender", "MalformedQueryString", "The request body is not a valid form: "+err.Error())
			return
		}
		for k, v := range posted {
			form[k] = v
		}
	}
	action := form.Get("Action")
	if s.Logger != nil {
		s.Logger.Debug("sts request", "action", action)
	}
	if action != "GetCallerIdentity" {
		msg := "Could not find operation " + action + " for version " + form.Get("Version")
		if action == "" {
			msg = "Missing Action"
		}
		awserr.WriteQuery(w, http.StatusBadRequest, "Sender", "InvalidAction", msg)
		return
	}
	type result struct {
		Arn     string `xml:"Arn"`
		UserId  string `xml:"UserId"`
		Account string `xml:"Account"`
	}
	type response struct {
		XMLName   xml.Name `xml:"GetCallerIdentityResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Result    result   `xml:"GetCallerIdentityResult"`
		RequestID string   `xml:"ResponseMetadata>RequestId"`
	}
	awserr.WriteXML(w, http.StatusOK, response{
		Xmlns: stsNamespace,
		Result: result{
			Arn:     s.GlobalARN(r.Context(), "iam", "user/local"),
			UserId:  "AIDALOCALEMULATORUSER",
			Account: s.Account,
		},
		RequestID: awserr.RequestID(),
	})
}
