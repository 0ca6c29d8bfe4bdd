package postgres_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"taskrunner/adapters/postgres"
	"taskrunner/domain"
	"taskrunner/test/contract"
)

// requireInvalidValue checks that err is the 422 the server's refusal of a value becomes:
// never internal (a 500) nor unavailable (a 503 inviting a retry that fails the same way).
func requireInvalidValue(t *testing.T, err error, what string) {
	t.Helper()
	require.Error(t, err, what)
	require.Equal(t, domain.CodeInvalidParams, domain.CodeOf(err), "%s: %v", what, err)
	require.ErrorIs(t, err, domain.ErrInvalidValue, what)
}

// TestValuesTheServerRefusesAre422 writes what submits refuse straight through the
// stores, as a path that skipped the checks would: every refusal is a 422, nothing is
// stored, and the store keeps working.
func TestValuesTheServerRefusesAre422(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := setup(t)
	tasks, artifacts := postgres.NewTaskStore(db), postgres.NewArtifactStore(db)

	for name, params := range map[string]string{
		"NUL in a value":      `{"msg":"a\u0000b"}`,
		"NUL in a key":        `{"a\u0000":1}`,
		"NUL deep down":       `{"a":[{"b":"\u0000"}]}`,
		"lone high surrogate": `{"msg":"\ud800"}`,
		"lone low surrogate":  `{"msg":"\udc00x"}`,
		"not UTF-8":           "{\"msg\":\"\xff\"}",
		"number too large":    `{"n":1e1000000}`,
	} {
		task := contract.NewTask(func(t *domain.Task) { t.Params = json.RawMessage(params) })
		_, _, err := tasks.Create(ctx, task)
		requireInvalidValue(t, err, name)
		_, err = tasks.Get(ctx, task.ID)
		require.ErrorIs(t, err, domain.ErrNotFound, "%s: nothing was stored", name)
	}

	keyed := contract.NewTask(func(t *domain.Task) { t.IdempotencyKey = "k\x00" })
	_, _, err := tasks.Create(ctx, keyed)
	requireInvalidValue(t, err, "NUL in idempotency_key")

	// The worker's write of a result goes through Update: a refusal there rolls back.
	task := contract.NewTask()
	_, _, err = tasks.Create(ctx, task)
	require.NoError(t, err, "the store still works after the refusals")
	_, err = tasks.Update(ctx, task.ID, func(t *domain.Task) error {
		t.Result = json.RawMessage(`{"text":"\u0000"}`)
		return nil
	})
	requireInvalidValue(t, err, "NUL in a result")
	got, err := tasks.Get(ctx, task.ID)
	require.NoError(t, err)
	require.Nil(t, got.Result)

	now := contract.Now()
	for name, mutate := range map[string]func(*domain.Artifact){
		"NUL in metadata":     func(a *domain.Artifact) { a.Metadata = json.RawMessage(`{"title":"\u0000"}`) },
		"NUL in type":         func(a *domain.Artifact) { a.Type = "log\x00" },
		"NUL in content_type": func(a *domain.Artifact) { a.ContentType = "text/plain; charset=\"\x00\"" },
	} {
		a := domain.Artifact{ID: testIDs.New(now), TaskID: task.ID, Type: "log", ContentType: "text/plain",
			SizeBytes: 1, SHA256: "abc", CreatedAt: now, Metadata: json.RawMessage(`{}`)}
		mutate(&a)
		requireInvalidValue(t, artifacts.Create(ctx, a), name)
		_, err := artifacts.Get(ctx, a.ID)
		require.ErrorIs(t, err, domain.ErrNotFound, "%s: nothing was stored", name)
	}
}
