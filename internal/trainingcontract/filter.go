package trainingcontract

import (
	"bytes"
	_ "embed"
)

//go:embed driver/filter.sh
var filterScript []byte

// filterLine is where a script takes the shared output filter.
var filterLine = []byte("# smcore:filter\n")

// withFilter is script with its filter line replaced by the shared
// filter, so that the driver and the classic runner mask and keep lines
// with one program.
func withFilter(script []byte) []byte {
	return bytes.Replace(script, filterLine, filterScript, 1)
}
