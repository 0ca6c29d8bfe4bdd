package minio

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	miniogo "github.com/minio/minio-go/v7"

	"taskrunner/domain"
)

// service names the blob store in Unavailable errors and /health.
const service = "blobs"

// translate maps a minio-go error to the domain's vocabulary; it is the only place that
// does. A missing key is domain.ErrNotFound; a cancelled ctx comes back as ctx.Err(); an
// endpoint that cannot serve us (network, 5xx, refused credentials, a vanished bucket) is
// domain.Unavailable("blobs"); anything else is a bug and stays an internal error.
func translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	resp := miniogo.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || (resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket"):
		return domain.ErrNotFound
	case resp.StatusCode == 0, // no answer from the server: network, timeout, bad endpoint
		resp.StatusCode >= 500,
		resp.StatusCode == http.StatusForbidden,
		resp.Code == "NoSuchBucket",
		resp.Code == "InvalidAccessKeyId",
		resp.Code == "SignatureDoesNotMatch":
		return domain.Unavailable(service, err)
	}
	return fmt.Errorf("blob store: %w", err)
}
