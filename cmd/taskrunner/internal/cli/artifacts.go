package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// downloadTimeout bounds one artifact download: artifacts are at most
// TASK_MAX_ARTIFACT_MB (25 MB by default), which a slow link still moves in this time.
const downloadTimeout = 10 * time.Minute

func runArtifacts(r *runner, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(r.env.Stdout, "usage: taskrunner artifacts get ID [-o FILE] [flags]\n\n"+
			"'taskrunner artifacts get --help' lists its flags.\n"+envHelp)
		return errHelpShown
	}
	if len(args) == 0 || args[0] != "get" {
		return &usageError{cmd: "artifacts", msg: "needs the subcommand get: taskrunner artifacts get ID [-o FILE]"}
	}
	s := spec{name: "artifacts get", args: "ID", nargs: 1,
		about: "Downloads an artifact's bytes (GET /artifacts/{id}) to stdout, or to FILE with -o.\n" +
			"A task's artifact ids are in its result.artifact_ids."}
	fs := r.flags(s)
	var file string
	fs.StringVar(&file, "o", "", "write the bytes to this `file` (replaced whole, never half-written) instead of stdout")
	fs.StringVar(&file, "output", "", "the same as -o")
	pos, err := r.parse(s, fs, args[1:])
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.ctx, downloadTimeout)
	defer cancel()
	resp, err := r.cl.request(ctx, http.MethodGet, "/artifacts/"+url.PathEscape(pos[0]), nil, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if file == "" || file == "-" {
		_, err = io.Copy(r.env.Stdout, resp.Body)
		return err
	}
	return writeFileWhole(file, resp.Body)
}

// writeFileWhole writes src to a temporary file beside path and renames it into place, so
// an interrupted download never leaves a partial file under path.
func writeFileWhole(path string, src io.Reader) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
