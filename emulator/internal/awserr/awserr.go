// Package awserr writes errors in the forms of the services' protocols
// that are not AWS JSON (package wire has that one): S3's <Error> document
// and the query protocol's <ErrorResponse>.
package awserr

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
)

// Field is a further element of an S3 error document.
type Field struct{ Name, Value string }

// Clip shortens what a client sent for quoting in a message.
func Clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// RequestID returns a random request ID in the AWS form (a UUID).
func RequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b[:])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

var quotes = strings.NewReplacer("&#39;", "'", "&#34;", `"`)

// WriteS3 writes an error in S3's XML form: Code, Message, any
// further elements the code carries, RequestId; a HEAD gets the status only.
func WriteS3(w http.ResponseWriter, r *http.Request, status int, code, msg string, extra ...Field) {
	id := RequestID()
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-amz-request-id", id)
	h.Del("Content-Length")
	h.Del("ETag")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	field := func(name, value string) {
		var t bytes.Buffer
		xml.EscapeText(&t, []byte(value))
		b.WriteString("<" + name + ">")
		quotes.WriteString(&b, t.String()) // quotes need no escaping in text, and S3 leaves them
		b.WriteString("</" + name + ">")
	}
	b.WriteString("<Error>")
	field("Code", code)
	field("Message", msg)
	for _, f := range extra {
		field(f.Name, f.Value)
	}
	field("RequestId", id)
	b.WriteString("</Error>")
	w.Write(b.Bytes())
}

// WriteQuery writes an error in the query protocol's form.
func WriteQuery(w http.ResponseWriter, status int, typ, code, msg string) {
	type errorResponse struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Xmlns     string   `xml:"xmlns,attr"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	WriteXML(w, status, errorResponse{Xmlns: queryNamespace, Type: typ, Code: code, Message: msg, RequestID: RequestID()})
}

// WriteXML writes v as an XML document with status.
func WriteXML(w http.ResponseWriter, status int, v any) {
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

// queryNamespace is the namespace of STS's answers, the one query service
// the endpoint serves.
const queryNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
