package httpapi

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"taskrunner/domain"
)

// allowQuery is the gate of a route that takes query parameters: any parameter not named
// here is refused with 400 invalid_request naming it, so a misspelt filter
// (?stauts=failed) is an error instead of a silently unfiltered answer. The list sits
// beside the route in routes.go: a route's new parameter is one more name there.
func allowQuery(names ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var unknown []string
		c.Context().QueryArgs().VisitAll(func(key, _ []byte) {
			if k := string(key); !slices.Contains(names, k) && !slices.Contains(unknown, k) {
				unknown = append(unknown, k)
			}
		})
		if len(unknown) > 0 {
			return domain.InvalidRequest(unknown[0], "unknown query parameter %q; %s %s takes %s",
				unknown[0], c.Method(), routeOf(c), strings.Join(names, ", ")).
				WithDetail("allowed", names)
		}
		return c.Next()
	}
}

// queryList is every value of a query parameter that may repeat, joined with commas:
// ?status=failed&status=cancelled reads as ?status=failed,cancelled.
func queryList(c *fiber.Ctx, name string) string {
	values := c.Context().QueryArgs().PeekMulti(name)
	parts := make([]string, 0, len(values))
	for _, v := range values {
		parts = append(parts, string(v))
	}
	return strings.Join(parts, ",")
}
