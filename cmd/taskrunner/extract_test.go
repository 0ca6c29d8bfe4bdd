package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunExtract(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../../adapters/extract/testdata/blog_comments.html")
	require.NoError(t, err)

	var out, errOut bytes.Buffer
	require.NoError(t, runExtract(context.Background(), []string{"--url", "https://crumb.example/post"}, bytes.NewReader(page), &out, &errOut))
	require.Contains(t, out.String(), "Shorter proofs, cooler water\n\nThe fix was to shorten the bulk fermentation")
	require.NotContains(t, out.String(), "Leave a Reply", "reader mode drops comments")
	require.True(t, strings.HasSuffix(out.String(), "\n"))

	out.Reset()
	require.NoError(t, runExtract(context.Background(), []string{"--raw"}, bytes.NewReader(page), &out, &errOut))
	require.Contains(t, out.String(), "Leave a Reply", "raw mode keeps the whole page")
}

func TestRunExtractCharsets(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../../adapters/extract/testdata/shift_jis.html")
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	require.NoError(t, runExtract(context.Background(), nil, bytes.NewReader(page), &out, &errOut))
	require.Contains(t, out.String(), "京都市内には、明治から昭和初期に建てられた町家が今も数多く残っている。")

	// An undeclared legacy page with the charset named on the command line.
	latin := []byte("<html><body><p>caf\xe9 cr\xe8me br\xfbl\xe9e</p></body></html>")
	out.Reset()
	require.NoError(t, runExtract(context.Background(), []string{"--charset", "windows-1252"}, bytes.NewReader(latin), &out, &errOut))
	require.Equal(t, "café crème brûlée\n", out.String())
}

func TestRunExtractUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	require.Error(t, runExtract(context.Background(), []string{"stray"}, strings.NewReader(""), &out, &errOut))
	require.Contains(t, errOut.String(), "usage: taskrunner extract")
	require.Error(t, runExtract(context.Background(), []string{"--nope"}, strings.NewReader(""), &out, &errOut))
	out.Reset()
	require.NoError(t, runExtract(context.Background(), nil, strings.NewReader(""), &out, &errOut))
	require.Empty(t, out.String(), "an empty page prints nothing")
}
