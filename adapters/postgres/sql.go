package postgres

import (
	"fmt"
	"strings"

	sq "github.com/Masterminds/squirrel"
)

// mustSQL renders a statement built at package initialization. Its input is constant, so a
// failure is a programming error that every test run would hit at once.
func mustSQL(b sq.Sqlizer) string {
	s, _, err := b.ToSql()
	if err != nil {
		panic(fmt.Sprintf("postgres: invalid static statement: %v", err))
	}
	return s
}

// setAll assigns a placeholder to each column, in order.
func setAll(b sq.UpdateBuilder, columns []string) sq.UpdateBuilder {
	for _, c := range columns {
		b = b.Set(c, nil)
	}
	return b
}

func columnList(columns []string) string { return strings.Join(columns, ", ") }

// qualified lists the columns prefixed with table, for statements that join another source
// with columns of the same names.
func qualified(table string, columns []string) string {
	q := make([]string, len(columns))
	for i, c := range columns {
		q[i] = table + "." + c
	}
	return strings.Join(q, ", ")
}
