package highlevel

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"
)

// Job names are {base[:43]}-{UTC YYYYMMDDHHMMSS}-{4 of [a-z0-9]}: 63
// characters at most, the service's limit, with the timestamp never cut,
// and a random suffix so that two trainers started in the same second do
// not collide.
const (
	maxBase      = 43
	suffixLength = 4
	suffixChars  = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// cleanName turns s into something the job-name pattern
// [a-zA-Z0-9](-*[a-zA-Z0-9])* accepts: every other character (an ARN's
// '/' and ':', '_', '.') becomes '-', runs of '-' collapse, and the ends
// are trimmed.
func cleanName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// baseJobName is the default base: from the algorithm (its name, or the
// last part of its ARN) or the image's repository, plus "-job".
func baseJobName(image, algorithm string) string {
	var name string
	switch {
	case algorithm != "":
		name = algorithm
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
	default:
		name = image
		if i := strings.IndexByte(name, '@'); i >= 0 {
			name = name[:i]
		}
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		if i := strings.IndexByte(name, ':'); i >= 0 {
			name = name[:i]
		}
	}
	name = cleanName(name)
	if name == "" {
		name = "training"
	}
	return name + "-job"
}

// jobName makes a job name from base at now, with a suffix read from r.
func jobName(base string, now time.Time, r io.Reader) (string, error) {
	base = cleanName(base)
	if len(base) > maxBase {
		base = strings.TrimRight(base[:maxBase], "-")
	}
	if base == "" {
		base = "training-job"
	}
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, suffixLength)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", fmt.Errorf("highlevel: job name suffix: %w", err)
	}
	for i, c := range buf {
		buf[i] = suffixChars[int(c)%len(suffixChars)]
	}
	return fmt.Sprintf("%s-%s-%s", base, now.UTC().Format("20060102150405"), buf), nil
}
