package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"taskrunner/domain"
	"taskrunner/ports"
)

// Defaults of WebhookConfig.
const (
	// DefaultWebhookTimeout bounds one delivery attempt, connect to last byte.
	DefaultWebhookTimeout = 10 * time.Second
	// webhookDrainBytes is how much of a receiver's answer is read (so the connection can
	// be reused); the rest is dropped. Only the status matters.
	webhookDrainBytes = 64 << 10
)

// WebhookConfig configures a WebhookSender.
type WebhookConfig struct {
	// AllowPrivateNetworks (WEBHOOK_ALLOW_PRIVATE_NETWORKS) lifts the address guard the
	// fetcher applies: receivers on the operator's own network are a common, legitimate
	// case, but off by default a task submitter cannot aim the server at its neighbours.
	AllowPrivateNetworks bool
	// Timeout bounds one attempt; 0 means DefaultWebhookTimeout.
	Timeout time.Duration
	// UserAgent is sent with every POST; "" means DefaultUserAgent.
	UserAgent string
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
}

// WebhookSender POSTs webhooks through the fetcher's SSRF-guarded dialer. It follows no
// redirect (a 3xx is an answer like any other non-2xx, so it is retried): a redirect
// would turn a POST into someone else's GET. Any port is allowed.
type WebhookSender struct {
	cfg    WebhookConfig
	client *http.Client
}

var _ ports.WebhookSender = (*WebhookSender)(nil)

// NewWebhookSender returns a sender with the config's defaults applied.
func NewWebhookSender(cfg WebhookConfig) *WebhookSender {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultWebhookTimeout
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	d := &dialer{resolver: cfg.Resolver, allowPrivate: cfg.AllowPrivateNetworks, isPublic: publicAddr}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would be the dialled address, bypassing the guard
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           32,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	client := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &WebhookSender{cfg: cfg, client: client}
}

// Close releases idle connections.
func (s *WebhookSender) Close() { s.client.CloseIdleConnections() }

// Send POSTs r.Body as application/json with r.Header and returns the answer's status.
func (s *WebhookSender) Send(ctx context.Context, r ports.WebhookRequest) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return 0, domain.NewError(domain.CodeFetchBlocked, "the callback URL cannot be requested")
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.cfg.UserAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, webhookError(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookDrainBytes))
	return resp.StatusCode, nil
}

// webhookError says why no answer came, in words fit for the task's last_error: a refused
// address is permanent (fetch_blocked), anything else transient.
func webhookError(err error) error {
	var blocked *blockedAddrError
	if errors.As(err, &blocked) {
		return domain.NewError(domain.CodeFetchBlocked,
			"callback refused: %s (set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow private receivers)", blocked.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return domain.NewError(domain.CodeFetchFailed, "callback timed out").Transient()
	}
	var nerr *net.OpError
	if errors.As(err, &nerr) {
		return domain.NewError(domain.CodeFetchFailed, "callback connection failed: %s", nerr.Err.Error()).Transient()
	}
	return domain.NewError(domain.CodeFetchFailed, "callback request failed").Transient()
}
