package sagemaker

import (
	"io"
	"unicode/utf8"
)

// maxEventBytes is the longest log event a job's output makes: CloudWatch
// Logs takes events of up to 256 KiB, counting 26 bytes of overhead.
const maxEventBytes = 256<<10 - 26

// splitOutput reads a job's output to its end and hands emit one event per
// line. A line ends at '\n', at '\r' (a progress bar redrawing itself; a
// "\r\n" is one end) or at the end of the output; a line longer than
// maxEventBytes goes out in pieces of at most that size, cut between UTF-8
// characters. Nothing is dropped but the empty text before a '\r'. A read
// error ends it like the end of the output.
func splitOutput(r io.Reader, emit func(string)) {
	buf := make([]byte, 64<<10)
	var line []byte
	cr := false // the last byte was '\r'
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			switch {
			case b == '\n' && cr:
				// The "\n" of a "\r\n": the line went out at the '\r'.
			case b == '\n':
				emit(string(line))
				line = line[:0]
			case b == '\r':
				if len(line) > 0 {
					emit(string(line))
					line = line[:0]
				}
			default:
				line = append(line, b)
				if len(line) > maxEventBytes {
					cut := utf8Cut(line, maxEventBytes)
					emit(string(line[:cut]))
					line = append(line[:0], line[cut:]...)
				}
			}
			cr = b == '\r'
		}
		if err != nil {
			if len(line) > 0 {
				emit(string(line))
			}
			return
		}
	}
}

// utf8Cut returns where to cut b (longer than max) so that the first
// piece has at most max bytes and no UTF-8 character is split: before the
// character b[max] belongs to, or at max if b is not UTF-8 there.
func utf8Cut(b []byte, max int) int {
	for i := max; i > max-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return max
}
