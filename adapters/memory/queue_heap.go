package memory

import (
	"time"

	"taskrunner/domain"
)

// fifo is a queue of ids backed by a slice that is compacted as it drains.
type fifo struct {
	items []string
	head  int
}

func (f *fifo) len() int { return len(f.items) - f.head }

func (f *fifo) push(id string) { f.items = append(f.items, id) }

func (f *fifo) pop() (string, bool) {
	if f.head == len(f.items) {
		return "", false
	}
	id := f.items[f.head]
	f.items[f.head] = ""
	f.head++
	switch {
	case f.head == len(f.items):
		f.items, f.head = f.items[:0], 0
	case f.head >= 1024 && f.head*2 >= len(f.items):
		n := copy(f.items, f.items[f.head:])
		clear(f.items[n:])
		f.items, f.head = f.items[:n], 0
	}
	return id, true
}

// lanes are the ready ids, one FIFO per priority (index 0 is priority 1, the highest).
type lanes [domain.MaxPriority]fifo

func (l *lanes) len() int {
	n := 0
	for i := range l {
		n += l[i].len()
	}
	return n
}

// push appends id to the lane of priority (1..MaxPriority).
func (l *lanes) push(id string, priority int) { l[priority-1].push(id) }

// pop takes the oldest id of the highest-priority lane that holds any.
func (l *lanes) pop() (id string, priority int, ok bool) {
	for i := range l {
		if id, ok := l[i].pop(); ok {
			return id, i + 1, true
		}
	}
	return "", 0, false
}

// delayed is an id waiting for its NotBefore, and the lane it goes to then.
type delayed struct {
	id       string
	at       time.Time
	seq      uint64
	priority int
}

// delayHeap orders delayed ids by (at, seq): earliest first, FIFO on ties.
type delayHeap []delayed

func (h delayHeap) Len() int { return len(h) }
func (h delayHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h delayHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *delayHeap) Push(x any)   { *h = append(*h, x.(delayed)) }
func (h *delayHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// leaseHeap orders leases by (expires, seq) and keeps each lease's index current, so Extend
// and Ack can fix or remove a lease in O(log n).
type leaseHeap []*lease

func (h leaseHeap) Len() int { return len(h) }
func (h leaseHeap) Less(i, j int) bool {
	if !h[i].expires.Equal(h[j].expires) {
		return h[i].expires.Before(h[j].expires)
	}
	return h[i].seq < h[j].seq
}
func (h leaseHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *leaseHeap) Push(x any) {
	l := x.(*lease)
	l.index = len(*h)
	*h = append(*h, l)
}
func (h *leaseHeap) Pop() any {
	old := *h
	l := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	l.index = -1
	return l
}
