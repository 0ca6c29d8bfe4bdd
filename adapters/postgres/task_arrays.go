package postgres

import (
	"fmt"
	"strings"
	"time"

	"taskrunner/domain"
)

// maxBatchRows bounds the rows one batch statement carries. A call with more is split
// into several statements sent together in one round trip and one transaction, so the
// bound caps the size of a statement (its arrays, its result, the server memory they
// take), never the atomicity of the call.
const maxBatchRows = 1000

// taskArrays holds tasks column by column, in taskColumns order: the batch statements take
// one typed array per column and unnest them into rows. That keeps the statement text, and
// so pgx's prepared statement, the same whatever the batch size, and the parameter count
// at one per column however many rows (a VALUES list would need that many per row and a
// new plan per size).
type taskArrays struct {
	id, typ, status                      []string
	params, result, errJSON              [][]byte
	attempts, maxRetries, timeoutSeconds []int // pgx refuses values outside integer's range
	idempotencyKey                       []*string
	clientID                             []string
	cancelRequested                      []bool
	holder                               []string
	createdAt, updatedAt                 []time.Time
	startedAt, finishedAt                []*time.Time
	cbURL, cbStatus, cbLastError         []*string
	cbAttempts                           []*int32
	cbNextAt                             []*time.Time
	runAt                                []*time.Time
	priority                             []int
	parentID                             []*string
	scheduleID                           []*string
	retryOf                              []*string
	attemptLog, progress                 [][]byte
	heartbeatAt                          []*time.Time
	awaitingChildren                     []bool
}

func newTaskArrays(n int) *taskArrays {
	return &taskArrays{
		id: make([]string, 0, n), typ: make([]string, 0, n), status: make([]string, 0, n),
		params: make([][]byte, 0, n), result: make([][]byte, 0, n), errJSON: make([][]byte, 0, n),
		attempts: make([]int, 0, n), maxRetries: make([]int, 0, n), timeoutSeconds: make([]int, 0, n),
		idempotencyKey: make([]*string, 0, n), clientID: make([]string, 0, n),
		cancelRequested: make([]bool, 0, n), holder: make([]string, 0, n),
		createdAt: make([]time.Time, 0, n), updatedAt: make([]time.Time, 0, n),
		startedAt: make([]*time.Time, 0, n), finishedAt: make([]*time.Time, 0, n),
		cbURL: make([]*string, 0, n), cbStatus: make([]*string, 0, n), cbLastError: make([]*string, 0, n),
		cbAttempts: make([]*int32, 0, n), cbNextAt: make([]*time.Time, 0, n),
		runAt: make([]*time.Time, 0, n), priority: make([]int, 0, n), parentID: make([]*string, 0, n),
		scheduleID: make([]*string, 0, n),
		retryOf:    make([]*string, 0, n), attemptLog: make([][]byte, 0, n),
		heartbeatAt: make([]*time.Time, 0, n), progress: make([][]byte, 0, n),
		awaitingChildren: make([]bool, 0, n),
	}
}

// add appends t as one row, mapped as taskArgs maps a single task.
func (a *taskArrays) add(t *domain.Task) error {
	errJSON, err := errorColumn(t)
	if err != nil {
		return err
	}
	a.id = append(a.id, t.ID)
	a.typ = append(a.typ, string(t.Type))
	a.status = append(a.status, string(t.Status))
	// A nil element is SQL NULL, as jsonArg makes it for one task.
	a.params = append(a.params, t.Params)
	a.result = append(a.result, t.Result)
	a.errJSON = append(a.errJSON, errJSON)
	a.attempts = append(a.attempts, t.Attempts)
	a.maxRetries = append(a.maxRetries, t.MaxRetries)
	a.timeoutSeconds = append(a.timeoutSeconds, t.TimeoutSeconds)
	a.idempotencyKey = append(a.idempotencyKey, keyColumn(t))
	a.clientID = append(a.clientID, t.ClientID)
	a.cancelRequested = append(a.cancelRequested, t.CancelRequested)
	a.holder = append(a.holder, t.Holder)
	a.createdAt = append(a.createdAt, t.CreatedAt)
	a.updatedAt = append(a.updatedAt, t.UpdatedAt)
	a.startedAt = append(a.startedAt, t.StartedAt)
	a.finishedAt = append(a.finishedAt, t.FinishedAt)
	cb := newCallbackCols(t.Callback)
	a.cbURL = append(a.cbURL, cb.url)
	a.cbStatus = append(a.cbStatus, cb.status)
	a.cbAttempts = append(a.cbAttempts, cb.attempts)
	a.cbLastError = append(a.cbLastError, cb.lastError)
	a.cbNextAt = append(a.cbNextAt, cb.nextAt)
	a.runAt = append(a.runAt, t.RunAt)
	a.priority = append(a.priority, t.Priority)
	a.parentID = append(a.parentID, parentColumn(t))
	a.scheduleID = append(a.scheduleID, scheduleColumn(t))
	ops, err := newOpsCols(t)
	if err != nil {
		return err
	}
	a.retryOf = append(a.retryOf, ops.retryOf)
	a.attemptLog = append(a.attemptLog, ops.attemptLog)
	a.heartbeatAt = append(a.heartbeatAt, ops.heartbeatAt)
	a.progress = append(a.progress, ops.progress)
	a.awaitingChildren = append(a.awaitingChildren, t.AwaitingChildren)
	return nil
}

// args are the arrays as the parameters of unnestTasks, in taskColumns order.
func (a *taskArrays) args() []any {
	return []any{
		a.id, a.typ, a.status, a.params, a.result, a.errJSON,
		a.attempts, a.maxRetries, a.timeoutSeconds, a.idempotencyKey, a.clientID, a.cancelRequested, a.holder,
		a.createdAt, a.updatedAt, a.startedAt, a.finishedAt,
		a.cbURL, a.cbStatus, a.cbAttempts, a.cbLastError, a.cbNextAt,
		a.runAt, a.priority, a.parentID,
		a.scheduleID,
		a.retryOf, a.attemptLog, a.heartbeatAt, a.progress,
		a.awaitingChildren,
	}
}

// tasksArrays maps the tasks to one statement's arrays.
func tasksArrays(tasks []*domain.Task) (*taskArrays, error) {
	a := newTaskArrays(len(tasks))
	for _, t := range tasks {
		if err := a.add(t); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// uuidArray is the cast of an array parameter of ids. Ids are Go strings, which pgx
// encodes into a uuid[] only as text, and it finds that out on every statement by trying
// the binary format first and building an error that prints the whole array (measured: 2%
// of the api's and the worker's CPU under load). Declared text[], the parameter goes
// binary at once, and the server casts each element.
const uuidArray = "::text[]::uuid[]"

// unnestTasks is the row source of the batch statements: taskArrays' parameters as a
// table v whose columns are taskColumns. Placeholders are literal ($1...), since squirrel
// renumbers only "?".
var unnestTasks = unnestSource(taskColumnTypes, taskColumns)

// unnestSource is "unnest($1::type[], ...) AS v(columns...)": one typed array parameter
// per column, numbered from $1. A uuid column's array is sent as text[] (see uuidArray).
func unnestSource(types, columns []string) string {
	if len(types) != len(columns) {
		panic("postgres: column types do not match columns")
	}
	params := make([]string, len(types))
	for i, typ := range types {
		params[i] = fmt.Sprintf("$%d::%s[]", i+1, typ)
		if typ == "uuid" {
			params[i] = fmt.Sprintf("$%d"+uuidArray, i+1)
		}
	}
	return "unnest(" + strings.Join(params, ", ") + ") AS v(" + columnList(columns) + ")"
}
