package domain

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// IDGenerator makes UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a counter
// seeded randomly each millisecond, so ids made by one generator sort in creation order
// even within a millisecond. Listing relies on that order.
type IDGenerator struct {
	mu     sync.Mutex
	lastMS int64
	seq    uint16 // 12 bits used (rand_a)
}

// New returns a fresh id for the moment now.
func (g *IDGenerator) New(now time.Time) string {
	ms := now.UnixMilli()
	var rnd [10]byte
	_, _ = rand.Read(rnd[:])

	g.mu.Lock()
	if ms <= g.lastMS {
		ms = g.lastMS
		g.seq++
		if g.seq > 0x0fff { // counter exhausted: borrow the next millisecond
			ms++
			g.seq = binary.BigEndian.Uint16(rnd[:2]) & 0x01ff
		}
	} else {
		g.seq = binary.BigEndian.Uint16(rnd[:2]) & 0x01ff // leave room to count up
	}
	g.lastMS = ms
	seq := g.seq
	g.mu.Unlock()

	var u [16]byte
	u[0] = byte(ms >> 40)
	u[1] = byte(ms >> 32)
	u[2] = byte(ms >> 24)
	u[3] = byte(ms >> 16)
	u[4] = byte(ms >> 8)
	u[5] = byte(ms)
	u[6] = 0x70 | byte(seq>>8)&0x0f
	u[7] = byte(seq)
	copy(u[8:], rnd[2:])
	u[8] = u[8]&0x3f | 0x80 // variant 10
	return formatUUID(u)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ValidID reports whether s is a canonical (lower-case, hyphenated) UUID, so that
// malformed ids can be answered with not-found without touching storage.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
