package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/httpapi"
	"taskrunner/adapters/postgres"
	"taskrunner/adapters/sysclock"
	"taskrunner/adapters/web"
	"taskrunner/application"
	"taskrunner/domain"
	"taskrunner/ports"
)

// hookReceiver counts the webhooks it gets per webhook-id.
type hookReceiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	got map[string]int
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{got: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.mu.Lock()
		r.got[req.Header.Get("webhook-id")]++
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got[id]
}

// crashOutbox is the outbox of a process that dies with it.
type crashOutbox struct {
	inner ports.CallbackOutbox
	c     *crashSwitch
}

func (o crashOutbox) ClaimDueCallbacks(ctx context.Context, q domain.CallbackClaim) ([]domain.Task, error) {
	if err := o.c.dead(ctx); err != nil {
		return nil, err
	}
	got, err := o.inner.ClaimDueCallbacks(ctx, q)
	if derr := o.c.dead(ctx); derr != nil {
		return nil, derr
	}
	return got, err
}

func (o crashOutbox) RecordCallback(ctx context.Context, r domain.CallbackRecord) (domain.Task, error) {
	if err := o.c.dead(ctx); err != nil {
		return domain.Task{}, err
	}
	got, err := o.inner.RecordCallback(ctx, r)
	if derr := o.c.dead(ctx); derr != nil {
		return domain.Task{}, derr
	}
	return got, err
}

// dyingSender kills its process as it is about to POST: the claim is committed, the
// request never leaves.
type dyingSender struct {
	t *testing.T
	c *crashSwitch
}

func (s dyingSender) Send(ctx context.Context, _ ports.WebhookRequest) (int, error) {
	s.c.crash(s.t)
	return 0, s.c.dead(ctx)
}

// webhookLease is the deliverers' claim lease here: short, so a dead claim is retried soon.
const webhookLease = 2 * time.Second

func (s *services) startDeliverer(t *testing.T, p *process, outbox ports.CallbackOutbox, sender ports.WebhookSender) *application.CallbackDeliverer {
	t.Helper()
	d, err := application.NewCallbackDeliverer(application.CallbackDeps{
		Outbox: outbox, Sender: sender, Encoder: httpapi.TaskEncoder{}, Clock: sysclock.Clock{},
		Log: s.log.With("process", p.name),
	}, application.CallbackConfig{Poll: 50 * time.Millisecond, Timeout: time.Second, Lease: webhookLease, OpTimeout: 2 * time.Second})
	require.NoError(t, err)
	require.NoError(t, d.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = d.Stop(ctx)
	})
	return d
}

// submitWithCallback submits n echo tasks with a callback to url through p's task service.
func (s *services) submitWithCallback(t *testing.T, p *process, n int, url string) []string {
	t.Helper()
	svc, err := application.NewTaskService(application.TaskDeps{
		Store: p.store, Queue: p.queue, Limiter: p.limiter, Signals: p.signals,
		Clock: sysclock.Clock{}, IDs: &domain.IDGenerator{},
		Handlers: application.Handlers{domain.TaskEcho: application.NewEchoHandler()},
		Limits:   limits(), Log: s.log.With("process", p.name),
	})
	require.NoError(t, err)
	ids := make([]string, n)
	for i := range ids {
		task, _, err := svc.Submit(t.Context(), application.SubmitInput{Type: string(domain.TaskEcho),
			Params: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i)), ClientID: "faults", CallbackURL: url})
		require.NoError(t, err)
		ids[i] = task.ID
	}
	return ids
}

// A process dies between a task's final state and its webhook: the state is committed
// and no POST has left. Another process delivers every webhook, each exactly once (the
// dead process never sent), whether the dead one had not yet claimed the delivery or had
// claimed it and died before the POST (then after the claim's lease).
func TestWebhookOwedByADeadProcessIsDelivered(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		claimsThenDie bool
	}{{"DiesBeforeItsDelivererRuns", false}, {"DiesAfterClaimBeforePOST", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := setup(t)
			rcv := newHookReceiver(t)
			a := s.process(t, "a")
			aOutbox := postgres.NewTaskStore(a.db)
			c := newCrashSwitch()
			c.mortal(a)
			ids := s.submitWithCallback(t, a, 3, rcv.srv.URL+"/hook")
			s.startWorker(t, a, application.NewEchoHandler(), workerConfig(2))
			waitFinished(t, a.store, ids)
			if tc.claimsThenDie {
				// A's deliverer claims a delivery and dies as it is about to POST it.
				s.startDeliverer(t, a, crashOutbox{inner: aOutbox, c: c}, dyingSender{t: t, c: c})
				eventually(t, "process a to die in its deliverer", func() (bool, string) {
					select {
					case <-c.crashed:
						return true, ""
					default:
						return false, "alive"
					}
				})
			} else {
				c.crash(t)
			}

			b := s.process(t, "b")
			sender := web.NewWebhookSender(web.WebhookConfig{AllowPrivateNetworks: true, Timeout: time.Second})
			t.Cleanup(sender.Close)
			s.startDeliverer(t, b, postgres.NewTaskStore(b.db), sender)
			claimed := 0
			for _, id := range ids {
				eventually(t, "task "+id+"'s webhook to be delivered", func() (bool, string) {
					task, err := b.store.Get(t.Context(), id)
					if err != nil {
						return false, err.Error()
					}
					return task.Callback.Status == domain.CallbackDelivered, fmt.Sprintf("callback %+v", *task.Callback)
				})
				require.Equal(t, 1, rcv.count(id), "task %s: one POST, and none from the dead process", id)
				task, err := b.store.Get(t.Context(), id)
				require.NoError(t, err)
				if task.Callback.Attempts == 2 {
					claimed++ // the dead process's claim counted as an attempt
				}
			}
			if tc.claimsThenDie {
				require.GreaterOrEqual(t, claimed, 1, "the dead process had claimed a delivery")
			} else {
				require.Zero(t, claimed)
			}
		})
	}
}
