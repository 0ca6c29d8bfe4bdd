package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"text/tabwriter"
)

// buildVersion is what `taskrunner version` reports.
type buildVersion struct {
	Version       string `json:"version"`
	Module        string `json:"module"`
	ModuleVersion string `json:"module_version"`
	Commit        string `json:"commit"`
	CommitTime    string `json:"commit_time"`
	Modified      bool   `json:"modified"`
	Go            string `json:"go"`
}

func runVersion(r *runner, args []string) error {
	s := spec{name: "version", format: true, offline: true,
		about: "Prints the build's version, its module version and the commit it was built from\n" +
			"(from the Go build information; \"unknown\" when built outside a git checkout)."}
	fs := r.flags(s)
	if _, err := r.parse(s, fs, args); err != nil {
		return err
	}
	v := buildVersion{Version: r.env.Version, Module: "unknown", ModuleVersion: "unknown",
		Commit: "unknown", CommitTime: "unknown", Go: runtime.Version()}
	if bi, ok := r.env.BuildInfo(); ok && bi != nil {
		v.Module, v.ModuleVersion, v.Go = bi.Main.Path, bi.Main.Version, bi.GoVersion
		for _, st := range bi.Settings {
			switch st.Key {
			case "vcs.revision":
				v.Commit = st.Value
			case "vcs.time":
				v.CommitTime = st.Value
			case "vcs.modified":
				v.Modified = st.Value == "true"
			}
		}
	}
	if r.format == "json" {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return printJSON(r.env.Stdout, b)
	}
	commit := v.Commit
	if v.Modified {
		commit += " (modified)"
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "taskrunner\t%s\n", v.Version)
	fmt.Fprintf(tw, "module\t%s %s\n", v.Module, v.ModuleVersion)
	fmt.Fprintf(tw, "commit\t%s\n", commit)
	fmt.Fprintf(tw, "commit time\t%s\n", v.CommitTime)
	fmt.Fprintf(tw, "go\t%s\n", v.Go)
	return tw.Flush()
}
