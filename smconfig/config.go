package smconfig

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/smcore-go/smcore/internal/yamljson"
)

// The environment variables that name the config files, as in the Python
// SDK. Each holds a file, a folder holding config.yaml, or an S3 URI (see
// WithS3Client).
const (
	UserConfigOverrideEnv  = "SAGEMAKER_USER_CONFIG_OVERRIDE"
	AdminConfigOverrideEnv = "SAGEMAKER_ADMIN_CONFIG_OVERRIDE"
)

// fileName is the file looked for in a folder.
const fileName = "config.yaml"

// maxFileSize bounds what is read: config files are a few kilobytes.
const maxFileSize = 4 << 20

// Error is a config file that cannot be used: missing (when named
// explicitly), unreadable, not YAML, or not matching the schema. A
// missing file or S3 object wraps fs.ErrNotExist.
type Error struct {
	File    string // the file as read, or the S3 URI (s3://bucket/key)
	Path    string // the key path, like SageMaker.TrainingJob.RoleArn; "" for the file as a whole
	Problem string
	Err     error // the underlying error, if any: *yamljson.Error, *fs.PathError, an S3 error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Path != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Option configures Load.
type Option func(*options)

type options struct {
	userFile, adminFile *string // nil: the environment or the default location
	lookupEnv           func(string) (string, bool)
	homeDir             string
	logger              *slog.Logger
	goos                string
	s3                  S3Getter
}

// WithUserFile reads path (a file, a folder holding config.yaml, or an
// s3:// URI of either) instead of $SAGEMAKER_USER_CONFIG_OVERRIDE or the
// default user file. A missing file is an error. An empty path reads no
// user file.
func WithUserFile(path string) Option { return func(o *options) { o.userFile = &path } }

// WithAdminFile reads path instead of $SAGEMAKER_ADMIN_CONFIG_OVERRIDE or
// the default admin file; values from the user file win over its values.
// A missing file is an error. An empty path reads no admin file.
func WithAdminFile(path string) Option { return func(o *options) { o.adminFile = &path } }

// WithLookupEnv sets how environment variables are read (default
// os.LookupEnv); nil means an empty environment. It is used for the two
// override variables, HOME (USERPROFILE, LOCALAPPDATA and PROGRAMDATA on
// Windows) and XDG_CONFIG_HOME and XDG_CONFIG_DIRS.
func WithLookupEnv(fn func(string) (string, bool)) Option {
	return func(o *options) {
		if fn == nil {
			fn = func(string) (string, bool) { return "", false }
		}
		o.lookupEnv = fn
	}
}

// WithHomeDir sets the home folder the default user file is under,
// instead of $HOME.
func WithHomeDir(dir string) Option { return func(o *options) { o.homeDir = dir } }

// WithLogger logs, at debug level, the files read and skipped and the
// config tags CreateDefaults adds. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// source is one place config values may come from.
type source struct {
	kind   string // "admin" or "user", for logs
	path   string
	origin string // what named the path; "" for a default location, where a missing file is no error
}

// sources lists the places to read, in merge order: later values win.
func (o *options) sources() []source {
	def := defaultFiles(o.goos, o.lookupEnv, o.homeDir)
	pick := func(kind string, opt *string, optName, env, defPath string) []source {
		switch {
		case opt != nil && *opt == "":
			return nil
		case opt != nil:
			return []source{{kind: kind, path: *opt, origin: optName}}
		}
		if p, ok := o.lookupEnv(env); ok && p != "" {
			return []source{{kind: kind, path: p, origin: "$" + env}}
		}
		if defPath == "" {
			return nil
		}
		return []source{{kind: kind, path: defPath}}
	}
	return append(
		pick("admin", o.adminFile, "WithAdminFile", AdminConfigOverrideEnv, def.admin),
		pick("user", o.userFile, "WithUserFile", UserConfigOverrideEnv, def.user)...)
}

// Config is the merged content of the config files. It is immutable;
// its methods return fresh values and are safe for concurrent use. A nil
// *Config holds no values.
type Config struct {
	files  []string
	tree   map[string]any // merged JSON values, validated
	logger *slog.Logger
}

// Load reads and validates the config files: the admin file, then the
// user file, whose values win. By default these are the files the Python
// SDK reads (see the package documentation); a missing default file is
// skipped, a missing file named by an option or an override variable is
// an error. A file that is not valid is an *Error.
func Load(ctx context.Context, opts ...Option) (*Config, error) {
	o := options{lookupEnv: os.LookupEnv, goos: runtime.GOOS}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	c := &Config{tree: map[string]any{}, logger: o.logger}
	for _, src := range o.sources() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		file, data, err := src.read(ctx, o.s3)
		if err != nil {
			return nil, err
		}
		if data == nil {
			c.debug(ctx, "smconfig: no config file", "kind", src.kind, "file", file)
			continue
		}
		c.files = append(c.files, file)
		var tree any
		if err := yamljson.Decode(data, &tree); err != nil {
			return nil, &Error{File: file, Problem: "not valid YAML: " + err.Error(), Err: err}
		}
		// As in the Python SDK, an empty file (or {}) adds nothing and
		// needs no SchemaVersion.
		if m, ok := tree.(map[string]any); tree == nil || ok && len(m) == 0 {
			c.debug(ctx, "smconfig: empty config file", "kind", src.kind, "file", file)
			continue
		}
		if _, err := decodeTree(tree, true); err != nil {
			err.File = file
			return nil, err
		}
		mergeTrees(c.tree, tree.(map[string]any)) // decodeTree checked it is a mapping
		c.debug(ctx, "smconfig: read config file", "kind", src.kind, "file", file)
	}
	return c, nil
}

// named says what named the source, for error messages.
func (s source) named() string {
	if s.origin == "" {
		return ""
	}
	return " (named by " + s.origin + ")"
}

// read returns the file's name and content; no content (and no error)
// for a missing file at a default location.
func (s source) read(ctx context.Context, client S3Getter) (string, []byte, error) {
	if isS3(s.path) {
		return s.readS3(ctx, client)
	}
	named := s.named()
	file := s.path
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		file = filepath.Join(file, fileName)
	}
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		if s.origin == "" {
			return file, nil, nil
		}
		return file, nil, &Error{File: file, Problem: "no such file" + named, Err: err}
	}
	if err != nil {
		return file, nil, &Error{File: file, Problem: "cannot open: " + pathErrText(err) + named, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return file, nil, &Error{File: file, Problem: "cannot read: " + pathErrText(err), Err: err}
	}
	if len(data) > maxFileSize {
		return file, nil, &Error{File: file, Problem: fmt.Sprintf("larger than %d MiB: not a config file", maxFileSize>>20)}
	}
	if data == nil {
		data = []byte{}
	}
	return file, data, nil
}

// pathErrText is an error without the path the caller already names.
func pathErrText(err error) string {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// mergeTrees merges src into dst as the Python SDK does (botocore's
// merge_dicts): mappings key by key, anything else replaced whole.
func mergeTrees(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeTrees(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

func (c *Config) debug(ctx context.Context, msg string, args ...any) {
	if c != nil && c.logger != nil {
		c.logger.DebugContext(ctx, msg, args...)
	}
}

// Files lists the files read, in merge order (admin first), empty ones
// included.
func (c *Config) Files() []string {
	if c == nil {
		return nil
	}
	return append([]string(nil), c.files...)
}

// values decodes the merged tree afresh, so that callers never share
// memory with the Config or each other.
func (c *Config) values() values {
	if c == nil || len(c.tree) == 0 {
		return values{}
	}
	v, err := decodeTree(c.tree, false)
	if err != nil {
		return values{} // not reached: every file was validated
	}
	return v
}
