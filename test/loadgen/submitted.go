package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// submitted is a 202's task as the load generator needs it: its id. The answer holds the
// whole task (a kilobyte of JSON); decoding all of it took a fifth of the generator's CPU,
// which on two shared cores is CPU the stack under test does not get. decodeBody reads
// the object's members in order and stops at the id, which the API writes first.
type submitted struct{ ID string }

func (s *submitted) decodeBody(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("task answer: not a JSON object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return fmt.Errorf("task answer: %w", err)
		}
		if k == "id" {
			if err := dec.Decode(&s.ID); err != nil {
				return fmt.Errorf("task answer: id: %w", err)
			}
			if s.ID == "" {
				return errors.New("task answer: empty id")
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("task answer: %w", err)
		}
	}
	return errors.New("task answer: no id")
}
