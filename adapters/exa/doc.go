// Package exa is the ports.SearchProvider for the Exa search API: POST of a JSON body with
// the key in x-api-key, recency as startPublishedDate, and Exa's status codes and tags
// classified into permanent and transient provider errors (providers/EXA.md). The key
// never appears in logs or errors.
package exa
