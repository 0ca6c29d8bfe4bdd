package contract

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
)

// wait is the generous deadline for anything that should happen "soon": far above what a
// healthy adapter needs, so a loaded CI machine does not flake, yet a hang still fails.
const wait = 10 * time.Second

// RequireSameTime fails unless the times are Equal at microsecond precision.
func RequireSameTime(t *testing.T, want, got time.Time, field string) {
	t.Helper()
	require.Truef(t, want.Truncate(time.Microsecond).Equal(got.Truncate(time.Microsecond)),
		"%s: want %s, got %s", field, want.Format(time.RFC3339Nano), got.Format(time.RFC3339Nano))
}

// requireSameTimePtr compares optional times: both nil, or both set and the same.
func requireSameTimePtr(t *testing.T, want, got *time.Time, field string) {
	t.Helper()
	if want == nil {
		require.Nilf(t, got, "%s: want nil", field)
		return
	}
	require.NotNilf(t, got, "%s: want %s, got nil", field, want)
	RequireSameTime(t, *want, *got, field)
}

// requireSameJSON compares JSON semantically; nil (or empty) must come back empty.
func requireSameJSON(t *testing.T, want, got []byte, field string) {
	t.Helper()
	if len(want) == 0 {
		require.Emptyf(t, got, "%s: want none, got %s", field, got)
		return
	}
	require.NotEmptyf(t, got, "%s: want %s, got none", field, want)
	require.JSONEqf(t, string(want), string(got), "%s", field)
}

// RequireSameTask fails unless every field of got matches want (times at microsecond
// precision, JSON semantically).
func RequireSameTask(t *testing.T, want, got domain.Task) {
	t.Helper()
	require.Equal(t, want.ID, got.ID, "ID")
	require.Equal(t, want.Type, got.Type, "Type")
	require.Equal(t, want.Status, got.Status, "Status")
	requireSameJSON(t, want.Params, got.Params, "Params")
	requireSameJSON(t, want.Result, got.Result, "Result")
	require.Equal(t, want.Error, got.Error, "Error")
	require.Equal(t, want.Attempts, got.Attempts, "Attempts")
	require.Equal(t, want.MaxRetries, got.MaxRetries, "MaxRetries")
	require.Equal(t, want.TimeoutSeconds, got.TimeoutSeconds, "TimeoutSeconds")
	require.Equal(t, want.IdempotencyKey, got.IdempotencyKey, "IdempotencyKey")
	require.Equal(t, want.ClientID, got.ClientID, "ClientID")
	require.Equal(t, want.CancelRequested, got.CancelRequested, "CancelRequested")
	require.Equal(t, want.Holder, got.Holder, "Holder")
	require.Equal(t, want.ScheduleID, got.ScheduleID, "ScheduleID")
	RequireSameTime(t, want.CreatedAt, got.CreatedAt, "CreatedAt")
	RequireSameTime(t, want.UpdatedAt, got.UpdatedAt, "UpdatedAt")
	requireSameTimePtr(t, want.StartedAt, got.StartedAt, "StartedAt")
	requireSameTimePtr(t, want.FinishedAt, got.FinishedAt, "FinishedAt")
	requireSameCallback(t, want.Callback, got.Callback)
	requireSameTimePtr(t, want.RunAt, got.RunAt, "RunAt")
	require.Equal(t, want.Priority, got.Priority, "Priority")
	require.Equal(t, want.ParentID, got.ParentID, "ParentID")
	require.Equal(t, want.AwaitingChildren, got.AwaitingChildren, "AwaitingChildren")
}

// RequireSameArtifact fails unless every field of got matches want.
func RequireSameArtifact(t *testing.T, want, got domain.Artifact) {
	t.Helper()
	require.Equal(t, want.ID, got.ID, "ID")
	require.Equal(t, want.TaskID, got.TaskID, "TaskID")
	require.Equal(t, want.Type, got.Type, "Type")
	require.Equal(t, want.ContentType, got.ContentType, "ContentType")
	require.Equal(t, want.SizeBytes, got.SizeBytes, "SizeBytes")
	require.Equal(t, want.SHA256, got.SHA256, "SHA256")
	RequireSameTime(t, want.CreatedAt, got.CreatedAt, "CreatedAt")
	requireSameJSON(t, want.Metadata, got.Metadata, "Metadata")
}

// RequireSameRun fails unless every field of got matches want, metrics and notes in order.
func RequireSameRun(t *testing.T, want, got domain.Run) {
	t.Helper()
	require.Equal(t, want.ID, got.ID, "ID")
	require.Equal(t, want.Scope, got.Scope, "Scope")
	require.Equal(t, want.Key, got.Key, "Key")
	require.Equal(t, want.TaskID, got.TaskID, "TaskID")
	require.Equal(t, want.Status, got.Status, "Status")
	if len(want.ArtifactIDs) == 0 {
		require.Empty(t, got.ArtifactIDs, "ArtifactIDs")
	} else {
		require.Equal(t, want.ArtifactIDs, got.ArtifactIDs, "ArtifactIDs")
	}
	RequireSameTime(t, want.StartedAt, got.StartedAt, "StartedAt")
	RequireSameTime(t, want.FinishedAt, got.FinishedAt, "FinishedAt")
	if len(want.Metrics) == 0 {
		require.Empty(t, got.Metrics, "Metrics")
	} else {
		require.Equal(t, want.Metrics, got.Metrics, "Metrics")
	}
	require.Len(t, got.Notes, len(want.Notes), "Notes")
	for i := range want.Notes {
		require.Equal(t, want.Notes[i].Text, got.Notes[i].Text, "Notes[%d].Text", i)
		RequireSameTime(t, want.Notes[i].CreatedAt, got.Notes[i].CreatedAt, "Notes.CreatedAt")
	}
}

// eventually polls cond every few milliseconds until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, cond func() bool, msg string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: "+msg, append([]any{within}, args...)...)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// suiteCase is one subtest: the method it exercises and the behaviour it checks.
type suiteCase[P any] struct {
	method, name string
	run          func(t *testing.T, p P)
}

// runSuite runs the cases as parallel subtests grouped by method (Suite/Method/behaviour),
// each with a fresh adapter from newP.
func runSuite[P any](t *testing.T, newP func(t *testing.T) P, cases []suiteCase[P]) {
	t.Helper()
	var methods []string
	byMethod := map[string][]suiteCase[P]{}
	for _, c := range cases {
		if _, ok := byMethod[c.method]; !ok {
			methods = append(methods, c.method)
		}
		byMethod[c.method] = append(byMethod[c.method], c)
	}
	for _, m := range methods {
		t.Run(m, func(t *testing.T) {
			t.Parallel()
			for _, c := range byMethod[m] {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, newP(t))
				})
			}
		})
	}
}
