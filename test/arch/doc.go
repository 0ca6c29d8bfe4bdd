// Package arch holds tests of the code's shape: the layering rules of DESIGN.md.
package arch
