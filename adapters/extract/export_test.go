package extract

// MaxParseNodes exposes the parser's input bound to the tests.
const MaxParseNodes = maxParseNodes
