// Package brave is the ports.SearchProvider for the Brave web search API: GET on the
// configured endpoint with the key in X-Subscription-Token, recency as Brave's freshness
// parameter, and Brave's error codes classified into permanent and transient provider
// errors (providers/BRAVE.md). The key never appears in logs or errors.
package brave
