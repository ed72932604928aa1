package resources

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Version is smcore's version, sent in the user agent as smcore/<Version>.
const Version = "0.1.0"

// Client runs SageMaker operations for the resource types of this package.
type Client struct {
	api    *sagemaker.Client
	logger *slog.Logger
	// callOpts are applied before the caller's options on every call.
	callOpts []func(*sagemaker.Options)
	// settle bounds the not-found retries of the Describe that follows a
	// create: resources can take a moment to become visible.
	settle       time.Duration
	settleStep   time.Duration
	sleep        func(ctx context.Context, d time.Duration) error
	adoptCreates bool
}

// Option configures a Client.
type Option func(*Client)

// WithLogger makes the client log retries and adoptions; without it the
// client logs nothing.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.logger = l } }

// WithCreateSettle sets how long a create keeps retrying the Describe that
// follows it while the service still answers "not found" (default 10s).
func WithCreateSettle(total, step time.Duration) Option {
	return func(c *Client) { c.settle, c.settleStep = total, step }
}

// WithoutCreationToken turns off the creation-token tag that lets a create
// retried after a lost response adopt the resource it created.
func WithoutCreationToken() Option { return func(c *Client) { c.adoptCreates = false } }

// New wraps an existing SageMaker client.
func New(api *sagemaker.Client, opts ...Option) *Client {
	c := &Client{
		api:          api,
		settle:       10 * time.Second,
		settleStep:   250 * time.Millisecond,
		sleep:        sleepCtx,
		adoptCreates: true,
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

// settleDescribe runs describe until it stops answering "not found", for at
// most the settle time: a resource just created may not be visible yet.
func (c *Client) settleDescribe(ctx context.Context, describe func() error) error {
	deadline := c.settle
	for waited := time.Duration(0); ; waited += c.settleStep {
		err := describe()
		if err == nil || !errors.Is(err, ErrNotFound) || waited >= deadline {
			return err
		}
		if c.logger != nil {
			c.logger.DebugContext(ctx, "smcore: new resource not visible yet, retrying describe", "err", err)
		}
		if serr := c.sleep(ctx, c.settleStep); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

// CreationTokenTag is the tag key a create adds, where the resource takes
// tags, so that a create retried after a lost response can tell the
// resource it made from one that existed before.
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
func tokenTag(token string) types.Tag {
	return types.Tag{Key: aws.String(CreationTokenTag), Value: aws.String(token)}
}
