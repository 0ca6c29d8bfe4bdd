package bootstrap

import "sort"

// SettingNames lists every environment variable Load reads, sorted, for the server
// commands' --help. It asks Load itself, so the list cannot fall behind a new setting.
func SettingNames() []string {
	seen := map[string]bool{}
	_, _ = Load(func(name string) string { //nolint:errcheck // only the names read matter
		seen[name] = true
		return ""
	})
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
