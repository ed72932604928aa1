package s3

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/smcore-go/smcore/emulator/internal/awserr"
	"github.com/smcore-go/smcore/emulator/internal/sigv4"
)

// An S3 body is checked as it streams to the store, never held whole by
// the endpoint: s3Body hands the decoded bytes on and verifies, as they
// pass, what the request claimed about them — the x-amz-content-sha256
// hash, each aws-chunked chunk's signature (a chain from the request's
// seed signature), the trailer's signature, X-Amz-Decoded-Content-Length
// and every x-amz-checksum-* (as a header or a trailer). The reader ends
// with io.EOF only once all of it held; a failure is returned on a read
// that delivers no data, and again on every read after it, so a store that
// reads to the end (gofakes3's backends and uploader do) never keeps a
// body that failed.

// bodySum is an x-amz-checksum-* the body must match.
type bodySum struct {
	header, name string // canonical header name; S3's name for it
	want         string // base64; from the header, or the trailer once read
	trailer      bool   // announced in X-Amz-Trailer
	h            hash.Hash
}

// s3Body is the verifying reader over a request's body.
type s3Body struct {
	src *bufio.Reader

	// A plain body: its SHA-256 (nil for UNSIGNED-PAYLOAD).
	sha     hash.Hash
	wantSHA string

	// An aws-chunked body.
	chunked  bool
	signer   *sigv4.ChunkSigner // nil: unsigned chunks
	trailers bool               // …-TRAILER: trailing headers follow the last chunk
	left     int64              // data bytes left in the current chunk
	sig      string             // the current chunk's signature
	chunkSHA hash.Hash
	decoded  int64 // X-Amz-Decoded-Content-Length

	n    int64 // data bytes handed on
	sums []bodySum
	// meta, when set, receives the trailing checksums: the metadata the
	// object is stored with, as if they had been sent as headers.
	meta map[string]string
	err  error // sticky: io.EOF once the body ended verified, or why it failed
}

// newS3Body returns the verifying reader for r's body, signed as a says;
// decoded is the body's length once decoded (X-Amz-Decoded-Content-Length
// for aws-chunked, else the Content-Length).
func (s *Service) newS3Body(r *http.Request, a *sigv4.Auth, decoded int64) (*s3Body, *sigv4.Error) {
	b := &s3Body{src: bufio.NewReaderSize(r.Body, 64<<10), decoded: decoded}
	switch p := a.Payload; {
	case p == sigv4.UnsignedPayload:
	case sigv4.Chunked(p):
		b.chunked = true
		b.trailers = strings.HasSuffix(p, "-TRAILER")
		if p != sigv4.StreamingUnsignedTrailer {
			b.signer = s.Verifier.ChunkSigner(a)
			b.chunkSHA = sha256.New()
		}
	default:
		b.sha, b.wantSHA = sha256.New(), strings.ToLower(p)
	}
	announced := map[string]bool{}
	for _, t := range strings.Split(r.Header.Get("X-Amz-Trailer"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			announced[http.CanonicalHeaderKey(t)] = true
		}
	}
	if len(announced) > 0 && !b.trailers {
		return nil, sigv4.S3Error(http.StatusBadRequest, "InvalidRequest", "X-Amz-Trailer is only allowed with an aws-chunked body whose x-amz-content-sha256 ends in -TRAILER")
	}
	for _, c := range s3Checksums {
		want := r.Header.Get(c.header)
		if want == "" && !announced[c.header] {
			continue
		}
		b.sums = append(b.sums, bodySum{header: c.header, name: c.name, want: want, trailer: announced[c.header], h: c.new()})
		delete(announced, c.header)
	}
	if len(announced) > 0 {
		names := slices.Sorted(maps.Keys(announced))
		return nil, sigv4.S3Error(http.StatusBadRequest, "InvalidRequest", "The trailer "+strings.ToLower(names[0])+" announced in X-Amz-Trailer is not one the local endpoint checks (x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256)")
	}
	return b, nil
}

// Err returns why the body failed, or nil (also before it ended).
func (b *s3Body) Err() *sigv4.Error {
	var e *sigv4.Error
	if errors.As(b.err, &e) {
		return e
	}
	if b.err != nil && b.err != io.EOF {
		return sigv4.S3Error(http.StatusBadRequest, "IncompleteBody", "The request body ended before its declared length: "+b.err.Error())
	}
	return nil
}

// Verified reports whether the body was read to its end and held.
func (b *s3Body) Verified() bool { return b.err == io.EOF }

func (b *s3Body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	var n int
	var err error
	if b.chunked {
		n, err = b.readChunked(p)
	} else {
		n, err = b.src.Read(p)
		if b.sha != nil {
			b.sha.Write(p[:n])
		}
	}
	for i := range b.sums {
		b.sums[i].h.Write(p[:n])
	}
	b.n += int64(n)
	if err == nil && b.n > b.decoded {
		err = sigv4.S3Error(http.StatusBadRequest, "IncompleteBody", fmt.Sprintf("The body holds more than the %d bytes it declared", b.decoded))
	}
	if err == io.EOF {
		err = b.finish()
	}
	if err != nil {
		b.err = err
		if n > 0 {
			return n, nil // the data first; the error (or EOF) on the next read
		}
		return 0, err
	}
	return n, nil
}

// finish checks what can only be checked at the end; io.EOF means it held.
func (b *s3Body) finish() error {
	if b.n != b.decoded {
		return sigv4.S3Error(http.StatusBadRequest, "IncompleteBody",
			fmt.Sprintf("You did not provide the number of bytes specified by the Content-Length HTTP header (or X-Amz-Decoded-Content-Length): %d bytes, not %d", b.n, b.decoded))
	}
	if b.sha != nil {
		if got := hex.EncodeToString(b.sha.Sum(nil)); got != b.wantSHA {
			return sigv4.S3Error(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.",
				awserr.Field{Name: "ClientComputedContentSHA256", Value: b.wantSHA}, awserr.Field{Name: "S3ComputedContentSHA256", Value: got})
		}
	}
	for _, c := range b.sums {
		if c.want == "" {
			return sigv4.S3Error(http.StatusBadRequest, "MalformedTrailerError", "The trailer "+strings.ToLower(c.header)+" announced in X-Amz-Trailer was not sent.")
		}
		if got := base64.StdEncoding.EncodeToString(c.h.Sum(nil)); got != c.want {
			return sigv4.S3Error(http.StatusBadRequest, "BadDigest", "The "+c.name+" you specified did not match the calculated checksum.")
		}
	}
	return io.EOF
}

func errChunked(msg string) *sigv4.Error {
	return sigv4.S3Error(http.StatusBadRequest, "IncompleteBody", "The aws-chunked body is malformed: "+msg)
}

// readChunked hands on the data of an aws-chunked body:
//
//	<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0[;…]\r\n[<trailer>:<value>\r\n…]\r\n
func (b *s3Body) readChunked(p []byte) (int, error) {
	for b.left == 0 {
		if err := b.chunkHeader(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.src.Read(p)
	b.left -= int64(n)
	if b.signer != nil {
		b.chunkSHA.Write(p[:n])
	}
	if err == io.EOF {
		err = errChunked(fmt.Sprintf("a chunk is cut short, %d bytes missing", b.left))
	}
	if err == nil && b.left == 0 {
		err = b.endChunk()
	}
	return n, err
}

// readLine reads one CRLF-terminated line of the framing (without it).
func (b *s3Body) readLine() (string, error) {
	line, err := b.src.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull:
		return "", errChunked("a chunk header or trailer is too long")
	case err == io.EOF && len(line) == 0:
		return "", io.EOF
	case err == io.EOF:
		return "", errChunked("a line without CRLF")
	case err != nil:
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"), nil
}

// endChunk reads the CRLF after a chunk's data and checks its signature.
func (b *s3Body) endChunk() error {
	var crlf [2]byte
	if _, err := io.ReadFull(b.src, crlf[:]); err != nil || crlf != [2]byte{'\r', '\n'} {
		return errChunked("a chunk's data is not followed by CRLF")
	}
	if b.signer != nil && !b.signer.Chunk(b.sig, b.chunkSHA.Sum(nil)) {
		return sigv4.ErrChunkSignature()
	}
	return nil
}

// chunkHeader reads the next chunk's header; after the last chunk it reads
// the trailers and returns io.EOF.
func (b *s3Body) chunkHeader() error {
	line, err := b.readLine()
	if err == io.EOF {
		return errChunked("the body ends without its final chunk")
	}
	if err != nil {
		return err
	}
	size, ext, _ := strings.Cut(line, ";")
	n, err := strconv.ParseUint(strings.TrimSpace(size), 16, 40)
	if err != nil {
		return errChunked(fmt.Sprintf("bad chunk size %q", awserr.Clip(line)))
	}
	b.sig = ""
	if sig, ok := strings.CutPrefix(strings.TrimSpace(ext), "chunk-signature="); ok {
		b.sig = sig
	}
	if b.signer != nil {
		if b.sig == "" {
			return sigv4.ErrChunkSignature()
		}
		b.chunkSHA.Reset()
	}
	if n > 0 {
		b.left = int64(n)
		return nil
	}
	if b.signer != nil && !b.signer.Chunk(b.sig, b.chunkSHA.Sum(nil)) {
		return sigv4.ErrChunkSignature()
	}
	return b.readTrailers()
}

// readTrailers reads what follows the final chunk: trailing headers, if
// the payload has them, then an empty line.
func (b *s3Body) readTrailers() error {
	var canonical []byte
	sig := ""
	for {
		line, err := b.readLine()
		if err == io.EOF {
			break // the final CRLF is optional after trailers
		}
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		if !b.trailers {
			return sigv4.S3Error(http.StatusBadRequest, "MalformedTrailerError", "The body carries a trailer but its x-amz-content-sha256 does not end in -TRAILER.")
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return sigv4.S3Error(http.StatusBadRequest, "MalformedTrailerError", fmt.Sprintf("The trailer %q is not <name>:<value>.", awserr.Clip(line)))
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == sigv4.TrailerSignature {
			sig = v
			continue
		}
		canonical = append(append(append(append(canonical, k...), ':'), v...), '\n')
		found := false
		for i := range b.sums {
			if c := &b.sums[i]; c.trailer && strings.EqualFold(c.header, k) {
				c.want, found = v, true
				if b.meta != nil {
					b.meta[c.header] = v
				}
			}
		}
		if !found {
			return sigv4.S3Error(http.StatusBadRequest, "MalformedTrailerError", "The trailer "+k+" was not announced in X-Amz-Trailer.")
		}
	}
	if b.signer != nil && b.trailers && !b.signer.Trailer(sig, canonical) {
		return sigv4.ErrChunkSignature()
	}
	if _, err := b.src.ReadByte(); err != io.EOF {
		return errChunked("data after the final chunk")
	}
	return io.EOF
}

// readS3Body reads a (small) S3 request body whole through its verifier,
// as the requests that are not uploads need it: at most limit bytes.
func readS3Body(b *s3Body, limit int64) ([]byte, *sigv4.Error) {
	var buf bytes.Buffer
	if b.decoded > 0 && b.decoded <= limit {
		buf.Grow(int(b.decoded))
	}
	if _, err := buf.ReadFrom(io.LimitReader(b, limit+1)); err != nil {
		return nil, b.Err()
	}
	if int64(buf.Len()) > limit {
		return nil, errEntityTooLarge(limit)
	}
	return buf.Bytes(), nil
}

func errEntityTooLarge(limit int64) *sigv4.Error {
	return sigv4.S3Error(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
		awserr.Field{Name: "MaxSizeAllowed", Value: strconv.FormatInt(limit, 10)})
}
