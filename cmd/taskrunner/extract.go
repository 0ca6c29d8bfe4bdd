package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"taskrunner/bootstrap"
)

// runExtract implements `taskrunner extract [--url URL] [--raw] [--charset NAME]`: it reads
// an HTML page on stdin, decodes it to UTF-8 and prints its readable text, through the same
// decoder and extractor as fetch_url tasks (bootstrap.ExtractText), so extraction can be
// tried and measured offline.
func runExtract(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	usage := func(w io.Writer) {
		fmt.Fprint(w, "usage: taskrunner extract [--url URL] [--raw] [--charset NAME] < page.html\n\n"+
			"Reads an HTML page on stdin and prints its readable text (the article, as fetch_url\n"+
			"tasks store it in fetch_text artifacts).\n\nflags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
		fmt.Fprint(w, "\nIt reads no environment.\n")
	}
	fs.Usage = func() {} // printed below: to stdout for --help, to stderr with an error
	pageURL := fs.String("url", "", "the page's URL, for resolving relative links and the site name")
	raw := fs.Bool("raw", false, "print the visible text of the whole page (reader_mode=false)")
	cs := fs.String("charset", "", "the page's charset when it does not declare one (default: sniffed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
		} else {
			usage(stderr)
		}
		return err
	}
	if fs.NArg() > 0 {
		usage(stderr)
		return fmt.Errorf("extract takes no arguments, got %q; the page is read from stdin", fs.Args())
	}
	out, err := bootstrap.ExtractText(ctx, bootstrap.ExtractRequest{Page: stdin, URL: *pageURL, Charset: *cs, Raw: *raw})
	if err != nil {
		return err
	}
	if out.Truncated {
		fmt.Fprintln(stderr, "taskrunner extract: the page is larger than the extractor reads; the text covers its beginning")
	}
	if out.Text == "" {
		return nil
	}
	_, err = fmt.Fprintln(stdout, out.Text)
	return err
}
