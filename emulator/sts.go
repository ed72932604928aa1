package emulator

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
)

// STS serves GetCallerIdentity over the query protocol (a form with
// Action and Version, answered in XML): the caller is the IAM user "local"
// of the server's account. Any other action is an InvalidAction error.

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// serveSTS answers STS's query protocol.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request, body []byte) {
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		posted, err := url.ParseQuery(string(body))
		if err != nil {
			writeQueryError(w, http.StatusBadRequest, "Sender", "MalformedQueryString", "The request body is not a valid form: "+err.Error())
			return
		}
		for k, v := range posted {
			form[k] = v
		}
	}
	action := form.Get("Action")
	if s.logger != nil {
		s.logger.Debug("sts request", "action", action)
	}
	if action != "GetCallerIdentity" {
		msg := "Could not find operation " + action + " for version " + form.Get("Version")
		if action == "" {
			msg = "Missing Action"
		}
		writeQueryError(w, http.StatusBadRequest, "Sender", "InvalidAction", msg)
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
	writeXML(w, http.StatusOK, response{
		Xmlns: stsNamespace,
		Result: result{
			Arn:     s.globalARN(r.Context(), "iam", "user/local"),
			UserId:  "AIDALOCALEMULATORUSER",
			Account: s.account,
		},
		RequestID: requestID(),
	})
}

// writeQueryError writes an error in the query protocol's form.
func writeQueryError(w http.ResponseWriter, status int, typ, code, msg string) {
	type errorResponse struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	writeXML(w, status, errorResponse{Xmlns: stsNamespace, Type: typ, Code: code, Message: msg, RequestID: requestID()})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(xml.Header + "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code></Error></ErrorResponse>")
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
