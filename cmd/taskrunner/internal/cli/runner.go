package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// defaultServer is where the CLI looks for the API when neither --server nor
// TASKRUNNER_URL says otherwise: `make run`'s address.
const defaultServer = "http://127.0.0.1:8000"

// runner carries one run's context, environment and the flags every command shares.
type runner struct {
	ctx context.Context
	env Env

	server, token, format string
	cl                    *client
}

// spec describes a command for its --help: "tasks get", "ID", what it does.
type spec struct {
	name, args, about string
	// format adds -o/--output table|json; artifacts get uses -o for its file instead.
	format bool
	// nargs is the number of positional arguments the command takes.
	nargs int
	// offline commands (version) talk to no server: no --server, --token or environment.
	offline bool
}

// flags returns a flag set for s with the shared connection flags registered.
func (r *runner) flags(s spec) *flag.FlagSet {
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed by parse, once
	if !s.offline {
		fs.StringVar(&r.server, "server", "", "the API's base `URL` (default: $TASKRUNNER_URL, else "+defaultServer+")")
		fs.StringVar(&r.token, "token", "", "bearer `token` for an API with auth on (default: $TASKRUNNER_TOKEN)")
	}
	if s.format {
		const usage = "output `format`: table or json (default: table on a terminal, else json)"
		fs.StringVar(&r.format, "o", "", usage)
		fs.StringVar(&r.format, "output", "", usage)
	}
	return fs
}

// parse reads args into fs, flags and positional arguments in any order, and checks the
// count. --help prints the command's usage to stdout and returns errHelpShown: the
// command then does nothing else.
func (r *runner) parse(s spec, fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		r.usage(s, fs, r.env.Stdout)
		return nil, errHelpShown
	}
	if err != nil {
		return nil, &usageError{cmd: s.name, msg: err.Error()}
	}
	if len(pos) != s.nargs {
		want := "no arguments"
		if s.nargs > 0 {
			want = s.args
		}
		return nil, &usageError{cmd: s.name, msg: fmt.Sprintf("takes %s, got %d argument(s)", want, len(pos))}
	}
	for _, p := range pos {
		if strings.TrimSpace(p) == "" {
			return nil, &usageError{cmd: s.name, msg: s.args + " may not be empty"}
		}
	}
	switch r.format {
	case "", "table", "json":
	default:
		return nil, &usageError{cmd: s.name, msg: fmt.Sprintf("-o must be table or json, got %q", r.format)}
	}
	if r.format == "" {
		r.format = "json"
		if r.env.StdoutTTY {
			r.format = "table"
		}
	}
	if r.server == "" {
		r.server = r.env.Getenv("TASKRUNNER_URL")
	}
	if r.server == "" {
		r.server = defaultServer
	}
	if r.token == "" {
		r.token = r.env.Getenv("TASKRUNNER_TOKEN")
	}
	r.cl = newClient(r.server, r.token)
	return pos, nil
}

// parseInterspersed parses flags that come before, between or after positional arguments
// (`submit echo -p msg=hi`); everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usage prints a command's help: the synopsis, what it does, its flags, the environment it
// reads and its exit statuses.
func (r *runner) usage(s spec, fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "usage: taskrunner %s", s.name)
	if s.args != "" {
		fmt.Fprintf(w, " %s", s.args)
	}
	fmt.Fprintf(w, " [flags]\n\n%s\n\nflags:\n", s.about)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if s.offline {
		fmt.Fprint(w, "\nIt reads no environment.\n")
		return
	}
	fmt.Fprint(w, envHelp)
}

// envHelp is the environment every client command reads, and what its exit status means.
const envHelp = `
environment:
  TASKRUNNER_URL    the API's base URL when --server is not given (default ` + defaultServer + `)
  TASKRUNNER_TOKEN  the bearer token when --token is not given

exit status: 0 done, 1 the API answered an error or a waited-for task did not succeed,
2 the command line is wrong, 130 interrupted
`
