package bootstrap

import (
	"net/netip"
	"strconv"
	"strings"
)

// ports reads a list of ports (1..65535) or "*" for any port, normalized ("080" → "80").
func (r *reader) ports(name string, def []string) []string {
	list := r.list(name, def)
	out := make([]string, 0, len(list))
	for _, p := range list {
		if p == "*" {
			out = append(out, p)
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			r.fail(name, "must list ports from 1 to 65535, or *, got %q", p)
			return def
		}
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// prefixes reads a comma-separated list of CIDRs; a bare address means just that address
// (a /32 or /128). Empty means none.
func (r *reader) prefixes(name string) []netip.Prefix {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return nil
	}
	var out []netip.Prefix
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				r.fail(name, "must list CIDRs such as 10.0.0.0/8 or addresses, got %q", s)
				return nil
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out
}
