package web_test

import (
	"testing"

	"taskrunner/adapters/web"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

// The suite serves its pages on loopback, reached through the documented switch
// (FETCH_ALLOW_PRIVATE_NETWORKS); with the switch off the guard must refuse them.
func TestPageFetcherContract(t *testing.T) {
	t.Parallel()
	contract.PageFetcher(t, func(t *testing.T, allowPrivate bool) ports.PageFetcher {
		f := web.New(web.Config{AllowedPorts: anyPort, AllowPrivateNetworks: allowPrivate})
		t.Cleanup(f.Close)
		return f
	})
}
