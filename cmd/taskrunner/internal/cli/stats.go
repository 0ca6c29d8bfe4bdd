package cli

import "net/http"

func runStats(r *runner, args []string) error {
	s := spec{name: "stats", format: true,
		about: "Prints the server's task statistics (GET /stats): counts by status and type, tasks\n" +
			"finished and failed lately, the oldest queued task's age, run times per type."}
	fs := r.flags(s)
	if _, err := r.parse(s, fs, args); err != nil {
		return err
	}
	raw, err := r.cl.call(r.ctx, http.MethodGet, "/stats", nil)
	if err != nil {
		return err
	}
	if r.format == "json" {
		return printJSON(r.env.Stdout, raw)
	}
	// The table flattens whatever the server sends, so a field added to /stats shows
	// without a CLI release.
	return printFlat(r.env.Stdout, raw)
}
