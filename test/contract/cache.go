package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/ports"
)

// Cache is the contract of ports.Cache. The cache may be shared with other tests.
func Cache(t *testing.T, newCache func(t *testing.T) ports.Cache) {
	t.Helper()
	runSuite(t, newCache, []suiteCase[ports.Cache]{
		{"Get", "MissingIsAbsent", cacheMissing},
		{"Get", "ReturnsACopy", cacheGetCopies},
		{"Set", "RoundTripsBytes", cacheRoundTrip},
		{"Set", "Replaces", cacheReplaces},
		{"Set", "StoresEmptyValue", cacheEmpty},
		{"Set", "StoresLargeValue", cacheLarge},
		{"Set", "StoresACopy", cacheSetCopies},
		{"Set", "ExpiresAfterTTL", cacheExpires},
		{"Set", "ReplacesTTL", cacheReplacesTTL},
	})
}

func cacheKey() string { return "contract:cache:" + randomHex(8) }

func cacheGet(t *testing.T, c ports.Cache, key string) ([]byte, bool) {
	t.Helper()
	v, ok, err := c.Get(t.Context(), key)
	require.NoError(t, err, "Get")
	if !ok {
		require.Nil(t, v, "an absent key returns nil")
	}
	return v, ok
}

func cacheSet(t *testing.T, c ports.Cache, key string, v []byte, ttl time.Duration) {
	t.Helper()
	require.NoError(t, c.Set(t.Context(), key, v, ttl), "Set")
}

func requireCached(t *testing.T, c ports.Cache, key string, want []byte) {
	t.Helper()
	got, ok := cacheGet(t, c, key)
	require.True(t, ok, "key %s absent", key)
	require.Equal(t, len(want), len(got))
	require.True(t, string(want) == string(got), "value differs")
}

func cacheMissing(t *testing.T, c ports.Cache) {
	_, ok := cacheGet(t, c, cacheKey())
	require.False(t, ok)
}

func cacheRoundTrip(t *testing.T, c ports.Cache) {
	all := make([]byte, 256*4)
	for i := range all {
		all[i] = byte(i)
	}
	k1, k2 := cacheKey(), cacheKey()
	cacheSet(t, c, k1, all, time.Hour)
	cacheSet(t, c, k2, []byte(`{"json":"ünïcode"}`), time.Hour)
	requireCached(t, c, k1, all)
	requireCached(t, c, k2, []byte(`{"json":"ünïcode"}`))
}

func cacheReplaces(t *testing.T, c ports.Cache) {
	k := cacheKey()
	cacheSet(t, c, k, []byte("first, longer value"), time.Hour)
	cacheSet(t, c, k, []byte("second"), time.Hour)
	requireCached(t, c, k, []byte("second"))
}

func cacheEmpty(t *testing.T, c ports.Cache) {
	k := cacheKey()
	cacheSet(t, c, k, []byte{}, time.Hour)
	got, ok := cacheGet(t, c, k)
	require.True(t, ok, "an empty value is present")
	require.Empty(t, got)
}

func cacheLarge(t *testing.T, c ports.Cache) {
	v := make([]byte, 1<<20)
	for i := range v {
		v[i] = byte(i * 7)
	}
	k := cacheKey()
	cacheSet(t, c, k, v, time.Hour)
	requireCached(t, c, k, v)
}

func cacheGetCopies(t *testing.T, c ports.Cache) {
	k := cacheKey()
	cacheSet(t, c, k, []byte("value"), time.Hour)
	got, _ := cacheGet(t, c, k)
	got[0] = 'X'
	requireCached(t, c, k, []byte("value"))
}

func cacheSetCopies(t *testing.T, c ports.Cache) {
	k := cacheKey()
	v := []byte("value")
	cacheSet(t, c, k, v, time.Hour)
	v[0] = 'X'
	requireCached(t, c, k, []byte("value"))
}

func cacheExpires(t *testing.T, c ports.Cache) {
	short, long := cacheKey(), cacheKey()
	cacheSet(t, c, short, []byte("v"), 300*time.Millisecond)
	cacheSet(t, c, long, []byte("v"), time.Hour)
	requireCached(t, c, short, []byte("v"))
	eventually(t, wait, func() bool { _, ok := cacheGet(t, c, short); return !ok }, "key did not expire")
	requireCached(t, c, long, []byte("v"))
}

func cacheReplacesTTL(t *testing.T, c ports.Cache) {
	k, witness := cacheKey(), cacheKey()
	cacheSet(t, c, k, []byte("old"), 300*time.Millisecond)
	// The witness is set after k and lives longer, so once it is gone k's old TTL has
	// surely ended too: the margin is in the data, not in a sleep.
	cacheSet(t, c, witness, []byte("w"), 350*time.Millisecond)
	cacheSet(t, c, k, []byte("new"), time.Hour)
	eventually(t, wait, func() bool { _, ok := cacheGet(t, c, witness); return !ok }, "witness did not expire")
	requireCached(t, c, k, []byte("new"))
}
