package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// optInt is an integer flag that is sent only when given, so the server's defaults apply
// otherwise.
type optInt struct {
	v   int
	set bool
}

func (o *optInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.v)
}

func (o *optInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want a whole number, got %q", s)
	}
	o.v, o.set = n, true
	return nil
}

// putInto adds the value to body under key when the flag was given.
func (o *optInt) putInto(body map[string]any, key string) {
	if o.set {
		body[key] = o.v
	}
}

// listFlag collects a flag given several times, each time one value or a comma-separated
// list (`--source demo --source brave` or `--source demo,brave`).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// paramFlag collects `-p key=value` pairs into task params. A value that is valid JSON is
// taken as that JSON (`-p seconds=2`, `-p tags=["a","b"]`), anything else as a string
// (`-p msg=hello`), so the common cases need no quoting.
type paramFlag struct {
	keys   []string
	values map[string]json.RawMessage
}

func (p *paramFlag) String() string {
	if p == nil {
		return ""
	}
	return strings.Join(p.keys, ",")
}

func (p *paramFlag) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	raw := json.RawMessage(value)
	if !json.Valid(raw) {
		b, err := json.Marshal(value)
		if err != nil {
			return err
		}
		raw = b
	}
	if p.values == nil {
		p.values = map[string]json.RawMessage{}
	}
	if _, seen := p.values[key]; !seen {
		p.keys = append(p.keys, key)
	}
	p.values[key] = raw
	return nil
}

// params merges the --params object (may be "") with the -p pairs, which win.
func (p *paramFlag) params(base string) (map[string]json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	if strings.TrimSpace(base) != "" {
		if err := json.Unmarshal([]byte(base), &out); err != nil || out == nil {
			return nil, fmt.Errorf("--params must be a JSON object, got %.60q", base)
		}
	}
	for k, v := range p.values {
		out[k] = v
	}
	return out, nil
}
