package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The demo's local requirement: a pure-Python package, packed here as a
// wheel (a zip with its metadata), so that pip installs it without an
// index and without building anything.
const (
	pkgName    = "smcore_demo_utils"
	pkgVersion = "0.1.0"
)

const pkgInit = `"""Helpers for the smcore demo's logistic regression."""
import math


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def predict(w, b, x):
    return sigmoid(w[0] * x[0] + w[1] * x[1] + b)


def log_loss(w, b, rows):
    eps = 1e-12
    total = 0.0
    for x, y in rows:
        p = min(max(predict(w, b, x), eps), 1 - eps)
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / max(len(rows), 1)


def accuracy(w, b, rows):
    right = sum(1 for x, y in rows if (predict(w, b, x) >= 0.5) == (y == 1))
    return right / max(len(rows), 1)
`

// buildWheel writes the wheel into dir and returns its file name.
func buildWheel(dir string) (string, error) {
	name := fmt.Sprintf("%s-%s-py3-none-any.whl", pkgName, pkgVersion)
	info := fmt.Sprintf("%s-%s.dist-info", pkgName, pkgVersion)
	files := []struct{ path, body string }{
		{pkgName + "/__init__.py", pkgInit},
		{info + "/METADATA", fmt.Sprintf("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: helpers for the smcore demo\n", strings.ReplaceAll(pkgName, "_", "-"), pkgVersion)},
		{info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: smcore-demo\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return "", err
	}
	zw := zip.NewWriter(f)
	var record strings.Builder
	for _, file := range files {
		w, err := zw.Create(file.path)
		if err != nil {
			return "", err
		}
		if _, err := w.Write([]byte(file.body)); err != nil {
			return "", err
		}
		sum := sha256.Sum256([]byte(file.body))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", file.path, base64.RawURLEncoding.EncodeToString(sum[:]), len(file.body))
	}
	fmt.Fprintf(&record, "%s/RECORD,,\n", info)
	w, err := zw.Create(info + "/RECORD")
	if err != nil {
		return "", err
	}
	if _, err := w.Write([]byte(record.String())); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return name, f.Close()
}
