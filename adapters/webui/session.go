package webui

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// sessionCookie is the cookie that opens the /ui pages when auth is on.
const sessionCookie = "taskrunner_ui"

// sessionLifetime bounds a session cookie even in a browser that restores its session
// cookies: the token is asked again after it.
const sessionLifetime = 12 * time.Hour

// maxTokenLen bounds what the login form accepts, so a post cannot make us hash megabytes.
const maxTokenLen = 4096

// sessionValue is "<unix seconds>.<hex HMAC-SHA256(token's sha256, label + seconds)>".
func sessionValue(key [32]byte, issued time.Time) string {
	ts := strconv.FormatInt(issued.Unix(), 10)
	return ts + "." + hex.EncodeToString(sessionMAC(key, ts))
}

func sessionMAC(key [32]byte, ts string) []byte {
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte("taskrunner-ui-session." + ts))
	return m.Sum(nil)
}

// validSession checks a cookie against every token's key, without stopping early.
func (u *UI) validSession(v string, now time.Time) bool {
	ts, macHex, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > sessionLifetime {
		return false
	}
	mac, err := hex.DecodeString(macHex)
	if err != nil {
		return false
	}
	found := 0
	for _, k := range u.keys {
		found |= subtle.ConstantTimeCompare(mac, sessionMAC(k, ts))
	}
	return found == 1
}

// tokenKey returns the key of a configured token, comparing hashes in constant time.
func (u *UI) tokenKey(token string) ([32]byte, bool) {
	sum := sha256.Sum256([]byte(token))
	var key [32]byte
	found := 0
	for _, k := range u.keys {
		eq := subtle.ConstantTimeCompare(sum[:], k[:])
		found |= eq
		if eq == 1 {
			key = k
		}
	}
	return key, found == 1
}

// gate runs h when auth is off or the request has a valid session; otherwise a page is
// sent to the login form (which comes back to it) and a data request gets 401.
func (u *UI) gate(c *fiber.Ctx, h fiber.Handler) error {
	if !u.authOn() || u.validSession(c.Cookies(sessionCookie), time.Now()) {
		return h(c)
	}
	if c.Path() == "/ui/schedules/preview" {
		return sendJSONError(c, fiber.StatusUnauthorized, "unauthorized", "log in at /ui/login first", nil)
	}
	target := "/ui/login?next=" + url.QueryEscape(string(c.Request().URI().RequestURI()))
	return c.Redirect(target, fiber.StatusSeeOther)
}

// safeNext keeps a post-login destination on the dashboard: a path under /ui, never
// another origin ("//host") or a scheme.
func safeNext(next string) string {
	if next == "/ui" || strings.HasPrefix(next, "/ui/") || strings.HasPrefix(next, "/ui?") {
		if !strings.ContainsAny(next, "\\\r\n") && !strings.HasPrefix(next, "/ui/login") {
			return next
		}
	}
	return "/ui"
}

type loginView struct {
	Next  string
	Error string
}

func (u *UI) loginPage(c *fiber.Ctx) error {
	if !u.authOn() {
		return c.Redirect("/ui", fiber.StatusSeeOther)
	}
	return u.render(c, fiber.StatusOK, "login", "Log in", loginView{Next: safeNext(c.Query("next"))})
}

// login checks the posted token and sets the session cookie. A cross-site post (an Origin
// that is not ours) is refused, so another site cannot log a browser in.
func (u *UI) login(c *fiber.Ctx) error {
	if !u.authOn() {
		return c.Redirect("/ui", fiber.StatusSeeOther)
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin != c.BaseURL() {
		return u.render(c, fiber.StatusForbidden, "login", "Log in", loginView{Next: "/ui", Error: "This form only accepts posts from this site."})
	}
	form, ok := readForm(c)
	if !ok {
		return u.render(c, fiber.StatusRequestEntityTooLarge, "login", "Log in", loginView{Next: "/ui", Error: "The form was too large."})
	}
	token := strings.TrimSpace(form.Get("token"))
	next := safeNext(form.Get("next"))
	key, ok := u.tokenKey(token)
	if len(token) > maxTokenLen || !ok {
		u.deps.Log.InfoContext(c.UserContext(), "ui_login_refused")
		return u.render(c, fiber.StatusUnauthorized, "login", "Log in", loginView{Next: next, Error: "That token is not valid."})
	}
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: sessionValue(key, time.Now()), Path: "/ui",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https",
	})
	u.deps.Log.InfoContext(c.UserContext(), "ui_login")
	return c.Redirect(next, fiber.StatusSeeOther)
}

// logout clears the session cookie; the page's script forgets the tab's token.
func (u *UI) logout(c *fiber.Ctx) error {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/ui", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Expires: time.Unix(1, 0), MaxAge: -1})
	if !u.authOn() {
		return c.Redirect("/ui", fiber.StatusSeeOther)
	}
	return c.Redirect("/ui/login", fiber.StatusSeeOther)
}
