package domain

import (
	"errors"
	"fmt"
	"maps"
)

// ItemError is err as the error of one item of a list in a request (the third task of a
// batch submit): a copy of its *Error with details.index set and the message prefixed
// with list[index], so the client learns which item was refused; details.field still
// names the field within the item. An error without a code is returned unchanged. The
// copy keeps the cause, so errors.Is and errors.As see through it as before.
func ItemError(err error, list string, index int) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("%s[%d]: %s", list, index, e.Message)
	c.Details = maps.Clone(e.Details)
	return c.WithDetail("index", index)
}
