package markdown_test

import (
	"testing"

	"taskrunner/adapters/markdown"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

func TestPageRendererContract(t *testing.T) {
	t.Parallel()
	r := markdown.New() // shared: the renderer keeps no state between calls
	contract.PageRenderer(t, func(*testing.T) ports.PageRenderer { return r })
}
