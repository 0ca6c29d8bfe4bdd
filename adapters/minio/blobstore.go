package minio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	miniogo "github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"taskrunner/domain"
	"taskrunner/ports"
)

var (
	_ ports.BlobStore = (*BlobStore)(nil)
	_ ports.Pinger    = (*BlobStore)(nil)
)

// Timeouts and limits of the HTTP client. There is no overall request timeout because
// bodies stream for as long as the caller reads; ctx bounds each call instead.
const (
	dialTimeout           = 5 * time.Second
	responseHeaderTimeout = 30 * time.Second
	setupTimeout          = 15 * time.Second
	pingTimeout           = 2 * time.Second
	maxIdleConnsPerHost   = 64 // workers store artifacts concurrently
	maxRetries            = 3  // minio-go's default of 10 would hide an outage for minutes
)

// Config says where the S3 endpoint is. The bootstrap fills it from MINIO_ENDPOINT,
// MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, MINIO_BUCKET and MINIO_SECURE; this package never
// reads the environment.
type Config struct {
	Endpoint  string // host:port, no scheme
	AccessKey string
	SecretKey string
	Bucket    string
	Secure    bool   // https
	Region    string // "" for MinIO's default (us-east-1)
}

// BlobStore is ports.BlobStore on one S3 bucket.
type BlobStore struct {
	client *miniogo.Client
	bucket string
	region string // where EnsureBucket creates the bucket
}

// New connects to the endpoint and creates the bucket when it is missing (NewLazy, then
// EnsureBucket), so a misconfigured endpoint or credentials fail at once.
func New(ctx context.Context, cfg Config) (*BlobStore, error) {
	s, err := NewLazy(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.EnsureBucket(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// NewLazy returns the store without talking to the endpoint, so a process can be assembled
// before its start-up context exists; call EnsureBucket within that context before use.
// It fails only on an invalid configuration.
func NewLazy(cfg Config) (*BlobStore, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("minio: endpoint and bucket are required")
	}
	tr, err := miniogo.DefaultTransport(cfg.Secure)
	if err != nil {
		return nil, fmt.Errorf("minio: transport: %w", err)
	}
	tr.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = responseHeaderTimeout
	tr.MaxIdleConnsPerHost = maxIdleConnsPerHost
	client, err := miniogo.New(cfg.Endpoint, &miniogo.Options{
		Creds:      credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:     cfg.Secure,
		Region:     cfg.Region,
		Transport:  tr,
		MaxRetries: maxRetries,
	})
	if err != nil {
		// The message names the endpoint, never the credentials.
		return nil, fmt.Errorf("minio: endpoint %q: %w", cfg.Endpoint, err)
	}
	return &BlobStore{client: client, bucket: cfg.Bucket, region: cfg.Region}, nil
}

// EnsureBucket creates the bucket unless it exists; losing a creation race to another
// process is fine. It returns an error matching domain.ErrUnavailable when the endpoint
// does not answer within ctx.
func (s *BlobStore) EnsureBucket(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return translate(ctx, err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, miniogo.MakeBucketOptions{Region: s.region})
	switch miniogo.ToErrorResponse(err).Code {
	case "BucketAlreadyOwnedByYou", "BucketAlreadyExists":
		return nil
	}
	return translate(ctx, err)
}

// Ping reports whether the endpoint answers and the bucket is there.
func (s *BlobStore) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return translate(ctx, err)
	}
	if !ok {
		return domain.Unavailable(service, fmt.Errorf("bucket %q does not exist", s.bucket))
	}
	return nil
}

// Put implements ports.BlobStore. The known size lets minio-go stream the body in one
// request (or part by part for objects above its part size) without holding it whole.
//
// The payload is sent unsigned (its integrity is covered by minio-go's CRC32C checksum and
// by the content address): the alternative, aws-chunked streaming signatures, is
// misread by some S3 implementations on multipart uploads (gofakes3 stores the chunk
// framing as data).
func (s *BlobStore) Put(ctx context.Context, p domain.BlobPut) error {
	_, err := s.client.PutObject(ctx, s.bucket, p.Key, p.Body, p.Size, miniogo.PutObjectOptions{
		ContentType:          p.ContentType,
		DisableContentSha256: true,
	})
	return translate(ctx, err)
}

// Exists implements ports.BlobStore.
func (s *BlobStore) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.client.StatObject(ctx, s.bucket, key, miniogo.StatObjectOptions{})
	switch err = translate(ctx, err); {
	case errors.Is(err, domain.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// Open implements ports.BlobStore. minio-go's GetObject is lazy; Stat sends the GET now
// (the same request the reads then continue), so a missing key is reported here rather
// than on the caller's first Read.
func (s *BlobStore) Open(ctx context.Context, key string, rng *domain.ByteRange) (io.ReadCloser, error) {
	var opts miniogo.GetObjectOptions
	if rng != nil {
		if err := opts.SetRange(rng.Start, rng.End); err != nil {
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, translate(ctx, err)
	}
	if _, err := obj.Stat(); err != nil {
		_ = obj.Close()
		return nil, translate(ctx, err)
	}
	return obj, nil
}

// Delete implements ports.BlobStore. S3 answers a delete of a missing key with success, so
// deleting twice (two retention passes, or a retry) is harmless.
func (s *BlobStore) Delete(ctx context.Context, key string) error {
	return translate(ctx, s.client.RemoveObject(ctx, s.bucket, key, miniogo.RemoveObjectOptions{}))
}
