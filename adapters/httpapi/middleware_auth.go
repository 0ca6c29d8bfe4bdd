package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// hashTokens keeps only the sha256 of each configured token (blank entries dropped).
func hashTokens(tokens []string) [][32]byte {
	var out [][32]byte
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, sha256.Sum256([]byte(t)))
		}
	}
	return out
}

// authenticate guards every route but /health and /openapi.json: it enforces the bearer
// token when auth is on and records the caller's rate-limit identity: "token:" and 16 hex
// digits of the token's sha256 (never the token itself, which would end up in task
// records), else the client's address (clientAddr).
func (s *Server) authenticate(c *fiber.Ctx) error {
	if len(s.tokens) == 0 {
		c.Locals(clientKey, s.clientAddr(c))
		return c.Next()
	}
	token, ok := bearerToken(c.Get(fiber.HeaderAuthorization))
	if !ok {
		return domain.NewError(domain.CodeUnauthorized, "missing bearer token: send Authorization: Bearer <token>")
	}
	sum := sha256.Sum256([]byte(token))
	if !s.tokenKnown(sum) {
		return domain.NewError(domain.CodeUnauthorized, "invalid bearer token")
	}
	c.Locals(clientKey, "token:"+hex.EncodeToString(sum[:])[:16])
	return c.Next()
}

// tokenKnown compares against every token without stopping early; comparing hashes keeps
// the compare length fixed, so timing reveals neither which token nor how much matched.
func (s *Server) tokenKnown(sum [32]byte) bool {
	found := 0
	for i := range s.tokens {
		found |= subtle.ConstantTimeCompare(sum[:], s.tokens[i][:])
	}
	return found == 1
}

func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// clientID returns the caller's rate-limit identity set by authenticate.
func (s *Server) clientID(c *fiber.Ctx) string {
	if id, ok := c.Locals(clientKey).(string); ok {
		return id
	}
	return s.clientAddr(c)
}

// authOn reports whether bearer auth is enabled (API_TOKENS set).
func (s *Server) authOn() bool { return len(s.tokens) > 0 }
