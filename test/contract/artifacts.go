package contract

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"taskrunner/domain"
	"taskrunner/ports"
)

// artifactFixture is an artifact store with the task store its task ids must exist in.
type artifactFixture struct {
	arts  ports.ArtifactStore
	tasks ports.TaskStore
}

// ArtifactStore is the contract of ports.ArtifactStore. Artifacts may reference tasks (the
// Postgres schema has a foreign key), so newStores returns the artifact store together with
// the task store of the same database; the suite creates every task it points at. The
// stores may be shared with other tests.
func ArtifactStore(t *testing.T, newStores func(t *testing.T) (ports.ArtifactStore, ports.TaskStore)) {
	t.Helper()
	newFixture := func(t *testing.T) artifactFixture {
		a, ts := newStores(t)
		return artifactFixture{arts: a, tasks: ts}
	}
	runSuite(t, newFixture, []suiteCase[artifactFixture]{
		{"Create", "StoresEveryField", artifactRoundTrip},
		{"Create", "FreeStanding", artifactFreeStanding},
		{"Create", "RejectsDuplicateID", artifactDuplicate},
		{"Get", "UnknownIsNotFound", artifactUnknown},
		{"Get", "ReturnsACopy", artifactCopies},
		{"ListByTask", "OldestFirst", artifactList},
		{"ListByTask", "EmptyWhenNone", artifactListEmpty},
	})
}

// newTaskFor creates a task the fixture's artifacts can point at.
func newTaskFor(t *testing.T, f artifactFixture) string {
	t.Helper()
	return createTask(t, f.tasks, NewTask()).ID
}

func createArtifact(t *testing.T, f artifactFixture, a domain.Artifact) {
	t.Helper()
	require.NoError(t, f.arts.Create(t.Context(), a), "Create")
}

func getArtifact(t *testing.T, f artifactFixture, id string) domain.Artifact {
	t.Helper()
	a, err := f.arts.Get(t.Context(), id)
	require.NoError(t, err, "Get")
	return a
}

func artifactRoundTrip(t *testing.T, f artifactFixture) {
	want := NewArtifact(newTaskFor(t, f))
	want.Type = domain.ArtifactFetchHTML
	want.ContentType = "text/html; charset=utf-8"
	want.SizeBytes = 25 << 20
	want.Metadata = json.RawMessage(`{"url":"https://example.com/ä?q=1","nested":{"z":1,"a":[1,"two",null]},"empty":{}}`)
	createArtifact(t, f, want)
	RequireSameArtifact(t, want, getArtifact(t, f, want.ID))
}

func artifactFreeStanding(t *testing.T, f artifactFixture) {
	want := NewArtifact("")
	want.Metadata = json.RawMessage(`{}`)
	createArtifact(t, f, want)
	RequireSameArtifact(t, want, getArtifact(t, f, want.ID))
}

func artifactDuplicate(t *testing.T, f artifactFixture) {
	first := NewArtifact(newTaskFor(t, f))
	createArtifact(t, f, first)
	dup := NewArtifact(first.TaskID)
	dup.ID = first.ID
	require.Error(t, f.arts.Create(t.Context(), dup), "Create with an existing id")
	RequireSameArtifact(t, first, getArtifact(t, f, first.ID))
	list, err := f.arts.ListByTask(t.Context(), first.TaskID)
	require.NoError(t, err)
	require.Len(t, list, 1, "the refused duplicate is not listed")
}

func artifactUnknown(t *testing.T, f artifactFixture) {
	_, err := f.arts.Get(t.Context(), NewID())
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func artifactCopies(t *testing.T, f artifactFixture) {
	in := NewArtifact("")
	want := in
	want.Metadata = append(json.RawMessage(nil), in.Metadata...)
	createArtifact(t, f, in)
	in.Metadata[2] = 'X'
	got := getArtifact(t, f, in.ID)
	got.Metadata[2] = 'X'
	RequireSameArtifact(t, want, getArtifact(t, f, in.ID))
}

func artifactList(t *testing.T, f artifactFixture) {
	taskID, otherTask := newTaskFor(t, f), newTaskFor(t, f)
	base := Now()
	want := make([]domain.Artifact, 4)
	for i := range want {
		want[i] = NewArtifact(taskID)
		want[i].CreatedAt = base.Add(time.Duration(i) * time.Second)
	}
	// Created out of order: the listing orders by creation time, not insertion.
	for _, i := range []int{2, 0, 3, 1} {
		createArtifact(t, f, want[i])
	}
	createArtifact(t, f, NewArtifact(otherTask))
	createArtifact(t, f, NewArtifact(""))

	got, err := f.arts.ListByTask(t.Context(), taskID)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range want {
		RequireSameArtifact(t, want[i], got[i])
	}
}

func artifactListEmpty(t *testing.T, f artifactFixture) {
	got, err := f.arts.ListByTask(t.Context(), newTaskFor(t, f))
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = f.arts.ListByTask(t.Context(), NewID())
	require.NoError(t, err, "a task that does not exist has no artifacts")
	require.Empty(t, got)
}
