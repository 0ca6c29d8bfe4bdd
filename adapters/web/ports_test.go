package web_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/web"
	"taskrunner/domain"
)

// anyPort is FETCH_ALLOWED_PORTS=*: the tests' servers listen on random loopback ports.
var anyPort = []string{"*"}

// By default a fetch reaches only ports 80 and 443, and FETCH_ALLOW_PRIVATE_NETWORKS does
// not lift that: the two rules are separate opt-ins.
func TestOnlyAllowedPortsAreFetched(t *testing.T) {
	t.Parallel()
	_, port := server(t, htmlHandler("<p>on a high port</p>"))
	url := "http://127.0.0.1:" + port + "/"

	def := web.New(web.Config{AllowPrivateNetworks: true})
	_, err := fetch(t, def, url)
	de := requireCode(t, err, domain.CodeFetchBlocked)
	require.Contains(t, de.Message, "port "+port+" is not in FETCH_ALLOWED_PORTS")

	listed := web.New(web.Config{AllowPrivateNetworks: true, AllowedPorts: []string{"80", "443", port}})
	p, err := fetch(t, listed, url)
	require.NoError(t, err)
	require.Contains(t, p.Text, "on a high port")

	for _, u := range []string{"http://127.0.0.1:22/", "https://127.0.0.1:6379/", "http://[::1]:5432/"} {
		_, err := fetch(t, listed, u)
		requireCode(t, err, domain.CodeFetchBlocked)
	}
}

// A redirect to a port off the list is refused like any other hop that breaks a rule.
func TestRedirectToAnotherPortIsBlocked(t *testing.T) {
	t.Parallel()
	_, other := server(t, htmlHandler("<p>other port</p>"))
	_, port := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, "http://127.0.0.1:"+other+"/", http.StatusFound)
		case "/to-ssh":
			http.Redirect(w, r, "http://127.0.0.1:22/", http.StatusFound)
		default:
			htmlHandler("<p>home</p>")(w, r)
		}
	}))
	f := web.New(web.Config{AllowPrivateNetworks: true, AllowedPorts: []string{port}})
	_, err := fetch(t, f, "http://127.0.0.1:"+port+"/")
	require.NoError(t, err)
	for _, path := range []string{"/to-other", "/to-ssh"} {
		_, err := fetch(t, f, "http://127.0.0.1:"+port+path)
		de := requireCode(t, err, domain.CodeFetchBlocked)
		require.Contains(t, de.Message, "FETCH_ALLOWED_PORTS", path)
	}
	both := web.New(web.Config{AllowPrivateNetworks: true, AllowedPorts: []string{port, other}})
	p, err := fetch(t, both, "http://127.0.0.1:"+port+"/to-other")
	require.NoError(t, err)
	require.Contains(t, p.Text, "other port")
}
