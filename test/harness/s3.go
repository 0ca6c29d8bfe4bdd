package harness

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	miniogo "github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	tcminio "github.com/testcontainers/testcontainers-go/modules/minio"
)

// Environment variables read by S3. (Names carry an s3 prefix: other files of this package
// define their own, and nothing here may collide with them.)
const (
	// s3EnvEndpoint is host:port of an S3 API the tests may create buckets on.
	s3EnvEndpoint  = "TEST_S3_ENDPOINT"
	s3EnvAccessKey = "TEST_S3_ACCESS_KEY"
	s3EnvSecretKey = "TEST_S3_SECRET_KEY"
	// s3EnvSecure=true talks https to TEST_S3_ENDPOINT.
	s3EnvSecure = "TEST_S3_SECURE"
)

const (
	s3Image        = "minio/minio:RELEASE.2024-01-16T16-07-38Z"
	s3SetupTimeout = 2 * time.Minute
	s3OpTimeout    = 30 * time.Second
	// s3FakeKey is what the in-process fake is given; it checks no signatures.
	s3FakeKey = "harness"
)

// S3Target is one test's bucket on an S3 API. The bucket does not exist yet: the blob
// store creates it at start-up, as in production. It is emptied and removed when the test
// ends.
type S3Target struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	Secure    bool
	// Source says where the endpoint came from: "env", "container" or "gofakes3".
	Source string
}

// s3Server is the endpoint every test of this process uses, found once.
var s3Server struct {
	once sync.Once
	srv  S3Target // Bucket empty
	err  string
}

// s3ShortServer is the in-process fake every -short test of this process uses.
var s3ShortServer struct {
	once sync.Once
	srv  S3Target
}

// S3 returns a fresh bucket name on an S3 endpoint: TEST_S3_ENDPOINT (with
// TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY, TEST_S3_SECURE), else a MinIO container, else an
// in-process gofakes3 server on loopback, so the MinIO adapter is always exercised over
// real HTTP and these tests never skip. Under -short it is always the in-process server:
// no service and no container, as `make test-unit` promises.
func S3(t testing.TB) S3Target {
	t.Helper()
	var target S3Target
	if testing.Short() {
		s3ShortServer.once.Do(func() { s3ShortServer.srv = s3StartFake() })
		target = s3ShortServer.srv
	} else {
		s3Server.once.Do(func() { s3Server.srv, s3Server.err = findS3() })
		if s3Server.err != "" {
			t.Fatalf("harness: S3: %s", s3Server.err)
		}
		target = s3Server.srv
	}
	target.Bucket = "test-" + randomHex(8)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s3OpTimeout)
		defer cancel()
		if err := s3RemoveBucket(ctx, target); err != nil {
			t.Errorf("harness: remove bucket %s: %v", target.Bucket, err)
		}
	})
	return target
}

// findS3 picks the endpoint. Only a broken TEST_S3_ENDPOINT is an error: the fake is
// always there to fall back on.
func findS3() (S3Target, string) {
	if ep := strings.TrimSpace(os.Getenv(s3EnvEndpoint)); ep != "" {
		if strings.Contains(ep, "://") {
			return S3Target{}, s3EnvEndpoint + " must be host:port without a scheme (set " + s3EnvSecure + "=true for https)"
		}
		return S3Target{
			Endpoint:  ep,
			AccessKey: os.Getenv(s3EnvAccessKey),
			SecretKey: os.Getenv(s3EnvSecretKey),
			Secure:    os.Getenv(s3EnvSecure) == "true",
			Source:    "env",
		}, ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), s3SetupTimeout)
	defer cancel()
	if target, err := s3StartContainer(ctx); err == nil {
		return target, ""
	}
	return s3StartFake(), ""
}

func s3StartContainer(ctx context.Context) (target S3Target, err error) {
	defer func() { // testcontainers panics on some broken Docker setups instead of erring
		if r := recover(); r != nil {
			err = fmt.Errorf("testcontainers: %v", r)
		}
	}()
	if err := dockerReady(ctx); err != nil {
		return S3Target{}, err
	}
	ctr, err := tcminio.Run(ctx, s3Image)
	if err != nil {
		return S3Target{}, err
	}
	ep, err := ctr.ConnectionString(ctx)
	if err != nil {
		return S3Target{}, err
	}
	return S3Target{Endpoint: ep, AccessKey: ctr.Username, SecretKey: ctr.Password, Source: "container"}, nil
}

// s3StartFake serves gofakes3 in memory on a loopback port for the rest of the process.
func s3StartFake() S3Target {
	fake := gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog()))
	srv := httptest.NewServer(fake.Server())
	return S3Target{
		Endpoint:  strings.TrimPrefix(srv.URL, "http://"),
		AccessKey: s3FakeKey,
		SecretKey: s3FakeKey,
		Source:    "gofakes3",
	}
}

// s3RemoveBucket empties and removes the test's bucket, if the test created it.
func s3RemoveBucket(ctx context.Context, target S3Target) error {
	client, err := miniogo.New(target.Endpoint, &miniogo.Options{
		Creds:  credentials.NewStaticV4(target.AccessKey, target.SecretKey, ""),
		Secure: target.Secure,
	})
	if err != nil {
		return err
	}
	exists, err := client.BucketExists(ctx, target.Bucket)
	if err != nil || !exists {
		return err
	}
	for obj := range client.ListObjects(ctx, target.Bucket, miniogo.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			return obj.Err
		}
		if err := client.RemoveObject(ctx, target.Bucket, obj.Key, miniogo.RemoveObjectOptions{}); err != nil {
			return err
		}
	}
	return client.RemoveBucket(ctx, target.Bucket)
}
