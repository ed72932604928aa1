package resources

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// Version is smcore's version, sent in the user agent as smcore/<Version>.
const Version = "0.2.0"

// Client runs SageMaker operations for the resource types of this package.
// It holds no global state; make one per aws.Config.
type Client struct {
	api    *sagemaker.Client
	logger *slog.Logger
	// callOpts are applied before the caller's options on every call.
	callOpts []func(*sagemaker.Options)
	// settle bounds the not-found retries of the Describe that follows a
	// create: resources can take a moment to become visible.
	settleFor    time.Duration
	settleStep   time.Duration
	sleep        func(ctx context.Context, d time.Duration) error
	adoptCreates bool
	checks       shapes.Checks
	defaults     []CreateDefaults
	waitOpts     []waiters.Option
}

// Option configures a Client.
type Option func(*Client)

// WithLogger makes the client log create retries, adoptions and the
// create defaults it applies (at debug level); without it the client logs
// nothing.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// WithCreateSettle sets how long a create keeps retrying the Describe that
// follows it while the service still answers "not found" (default 10s).
func WithCreateSettle(total, step time.Duration) Option {
	return func(c *Client) { c.settleFor, c.settleStep = total, step }
}

// WithCreationToken makes every create whose input takes tags add the tag
// CreationTokenTag with a random value. If the SDK retries such a create
// after a lost response and the service answers that the resource exists,
// the client adopts it only when it carries that exact token, instead of
// failing with "already exists" for a resource this very call made. It
// needs sagemaker:AddTags and sagemaker:ListTags, and a tag key that
// policies restricting aws:TagKeys allow, so it is off by default.
func WithCreationToken() Option { return func(c *Client) { c.adoptCreates = true } }

// WithStrictValidation checks every request's strings against their model
// patterns before it is sent, as the service would (a job name with a
// space fails here, naming the member). Enum values stay unchecked unless
// WithStrictEnums is given too.
func WithStrictValidation() Option { return func(c *Client) { c.checks |= shapes.Patterns } }

// WithStrictEnums refuses enum values this version of the package does not
// know. The service adds values before the SDK knows them, so this can
// refuse a request the service would accept.
func WithStrictEnums() Option { return func(c *Client) { c.checks |= shapes.Enums } }

// WithWaitOptions sets options that every wait of the client's resources
// starts with (delays, a logger, a clock); a wait's own options come after
// them and win.
func WithWaitOptions(opts ...waiters.Option) Option {
	return func(c *Client) { c.waitOpts = append(c.waitOpts, opts...) }
}

// New wraps an existing SageMaker client.
func New(api *sagemaker.Client, opts ...Option) *Client {
	c := &Client{
		api:        api,
		settleFor:  10 * time.Second,
		settleStep: 250 * time.Millisecond,
		sleep:      sleepCtx,
	}
	c.callOpts = []func(*sagemaker.Options){userAgent}
	for _, o := range opts {
		o(c)
	}
	return c
}

// NewFromConfig builds the SageMaker client from cfg.
func NewFromConfig(cfg aws.Config, opts ...Option) *Client {
	c := New(sagemaker.NewFromConfig(cfg, userAgent), opts...)
	c.callOpts = nil // the user agent is already in the client's options
	return c
}

// SageMaker returns the underlying SDK client.
func (c *Client) SageMaker() *sagemaker.Client { return c.api }

func userAgent(o *sagemaker.Options) {
	o.APIOptions = append(o.APIOptions, awsmiddleware.AddUserAgentKeyValue("smcore", Version))
}

// opts returns the options for one call: the client's, then the caller's.
func (c *Client) opts(fns []func(*sagemaker.Options)) []func(*sagemaker.Options) {
	if len(c.callOpts) == 0 {
		return fns
	}
	if len(fns) == 0 {
		return c.callOpts
	}
	return append(append(make([]func(*sagemaker.Options), 0, len(c.callOpts)+len(fns)), c.callOpts...), fns...)
}

// waitOptions returns the client's wait options followed by opts.
func (c *Client) waitOptions(opts []waiters.Option) []waiters.Option {
	if len(c.waitOpts) == 0 {
		return opts
	}
	return append(append(make([]waiters.Option, 0, len(c.waitOpts)+len(opts)), c.waitOpts...), opts...)
}

// validate checks a request with the client's checks.
func (c *Client) validate(in shapes.Validatable) error {
	if c.checks == 0 {
		return in.Validate()
	}
	return shapes.ValidateWith(in, c.checks)
}

// prepare applies the create defaults to in (a copy of the caller's
// request) and validates it.
func (c *Client) prepare(ctx context.Context, in shapes.Validatable) error {
	if err := c.applyDefaults(ctx, in); err != nil {
		return err
	}
	return c.validate(in)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// settle describes a resource just created until the service stops
// answering "not found", for at most the settle time.
func (c *Client) settle(ctx context.Context, r Refresher, optFns []func(*sagemaker.Options)) error {
	deadline := c.settleFor
	for waited := time.Duration(0); ; waited += c.settleStep {
		err := r.Refresh(ctx, optFns...)
		if err == nil || !errors.Is(err, ErrNotFound) || waited >= deadline {
			if err != nil {
				return fmt.Errorf("created, but describing it failed: %w", err)
			}
			return nil
		}
		if c.logger != nil {
			c.logger.DebugContext(ctx, "smcore: new resource not visible yet, retrying describe", "err", err)
		}
		if serr := c.sleep(ctx, c.settleStep); serr != nil {
			return fmt.Errorf("created, but describing it failed: %w", errors.Join(err, serr))
		}
	}
}

// CreationTokenTag is the tag key a create adds with WithCreationToken,
// where the resource takes tags, so that a create retried after a lost
// response can tell the resource it made from one that existed before.
const CreationTokenTag = "smcore:creation-token"

// creationToken returns a fresh token, or "" when adoption is off.
func (c *Client) creationToken() string {
	if !c.adoptCreates {
		return ""
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return ""
	}
	return hex.EncodeToString(b[:])
}

// adopted reports whether a create that failed with err made r after all:
// the service says it exists, and it carries token.
func (c *Client) adopted(ctx context.Context, r interface {
	Refresher
	WithARN
}, token string, err error, optFns []func(*sagemaker.Options)) bool {
	if token == "" || !isAlreadyExists(err) || r.Refresh(ctx, optFns...) != nil {
		return false
	}
	if !c.ownedBy(ctx, r.ResourceARN(), token, optFns) {
		return false
	}
	if c.logger != nil {
		c.logger.InfoContext(ctx, "smcore: adopted a resource this create made before its response was lost", "arn", r.ResourceARN())
	}
	return true
}

// ownedBy reports whether the resource at arn carries our creation token.
func (c *Client) ownedBy(ctx context.Context, arn, token string, optFns []func(*sagemaker.Options)) bool {
	if arn == "" || token == "" {
		return false
	}
	in := &sagemaker.ListTagsInput{ResourceArn: &arn}
	for range 100 {
		out, err := c.api.ListTags(ctx, in, c.opts(optFns)...)
		if err != nil {
			return false
		}
		for _, t := range out.Tags {
			if t.Key != nil && *t.Key == CreationTokenTag && t.Value != nil && *t.Value == token {
				return true
			}
		}
		if out.NextToken == nil || *out.NextToken == "" {
			return false
		}
		in.NextToken = out.NextToken
	}
	return false
}

// tokenTag is the tag that carries token.
func tokenTag(token string) shapes.Tag {
	return shapes.Tag{Key: CreationTokenTag, Value: token}
}
