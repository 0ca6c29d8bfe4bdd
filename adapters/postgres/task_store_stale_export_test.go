package postgres

// SelectStale exposes ListStale's statement to the external tests, which check its plan.
var SelectStale = selectStale
