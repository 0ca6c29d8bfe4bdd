package extract_test

import (
	"testing"

	"taskrunner/adapters/extract"
	"taskrunner/ports"
	"taskrunner/test/contract"
)

func TestExtractorContract(t *testing.T) {
	t.Parallel()
	contract.Extractor(t, func(*testing.T) ports.Extractor { return extract.New(extract.Config{}) })
}
