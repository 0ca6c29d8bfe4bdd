package web_test

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
)

func TestPublicAddr(t *testing.T) {
	t.Parallel()
	refused := map[string]string{
		"127.0.0.1":              "IPv4 loopback",
		"127.255.255.254":        "IPv4 loopback range",
		"10.0.0.1":               "RFC 1918 10/8",
		"172.16.0.1":             "RFC 1918 172.16/12",
		"172.31.255.255":         "RFC 1918 172.16/12 end",
		"192.168.1.1":            "RFC 1918 192.168/16",
		"100.64.0.1":             "CGNAT",
		"100.127.255.254":        "CGNAT end",
		"169.254.169.254":        "cloud metadata (link-local)",
		"169.254.0.1":            "link-local",
		"0.0.0.0":                "unspecified",
		"0.1.2.3":                "this network",
		"224.0.0.1":              "multicast",
		"239.255.255.250":        "multicast (SSDP)",
		"255.255.255.255":        "broadcast",
		"240.0.0.1":              "reserved",
		"192.0.2.1":              "TEST-NET-1",
		"198.18.0.1":             "benchmarking",
		"192.0.0.8":              "IETF assignments",
		"::":                     "IPv6 unspecified",
		"::1":                    "IPv6 loopback",
		"fc00::1":                "IPv6 ULA fc00::/7",
		"fd12:3456::1":           "IPv6 ULA fd",
		"fe80::1":                "IPv6 link-local",
		"fe80::1%eth0":           "IPv6 link-local with zone",
		"fec0::1":                "IPv6 site-local",
		"ff02::1":                "IPv6 multicast",
		"::ffff:127.0.0.1":       "IPv4-mapped loopback",
		"::ffff:10.0.0.1":        "IPv4-mapped private",
		"::ffff:169.254.169.254": "IPv4-mapped metadata",
		"::127.0.0.1":            "IPv4-compatible",
		"::ffff:0:7f00:1":        "IPv4-translated 127.0.0.1",
		"::ffff:0:a00:1":         "IPv4-translated 10.0.0.1",
		"::ffff:0:a9fe:a9fe":     "IPv4-translated metadata",
		"::ffff:0:5db8:d822":     "IPv4-translated, even of a public address",
		"64:ff9b::a00:1":         "NAT64 of 10.0.0.1",
		"64:ff9b::7f00:1":        "NAT64 of 127.0.0.1",
		"2002:7f00:1::1":         "6to4 of 127.0.0.1",
		"2002:a9fe:a9fe::1":      "6to4 of 169.254.169.254",
		"2001:db8::1":            "IPv6 documentation",
		"2001:0:4136:e378::1":    "Teredo",
		"fd00:ec2::254":          "AWS IPv6 metadata (ULA)",
	}
	for s, why := range refused {
		require.False(t, web.PublicAddr(netip.MustParseAddr(s)), "%s (%s) must be refused", s, why)
	}
	allowed := []string{"93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111",
		"::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1", "100.128.0.1", "172.32.0.1"}
	for _, s := range allowed {
		require.True(t, web.PublicAddr(netip.MustParseAddr(s)), "%s must be allowed", s)
	}
	require.False(t, web.PublicAddr(netip.Addr{}), "the zero address")
}
