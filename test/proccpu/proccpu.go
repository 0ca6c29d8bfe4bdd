// Package proccpu reads a process's CPU time from /proc/<pid>/stat (Linux), for the
// benchmarks that report CPU per task: on a small machine shared by the stack and its
// databases that figure bounds throughput and moves far less than wall time.
package proccpu

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ClockTick is USER_HZ, the unit of /proc/<pid>/stat's times: 100 per second on every
// Linux port that matters here.
const ClockTick = 10 * time.Millisecond

// Of reads the command name and the user plus system CPU time of pid ("self" for this
// process).
func Of(pid string) (comm string, cpu time.Duration, err error) {
	return Read("/proc/" + pid + "/stat")
}

// Read parses a /proc/<pid>/stat file.
func Read(path string) (comm string, cpu time.Duration, err error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	// The command name (field 2, in parentheses) may hold spaces and parentheses; the
	// fields after its last ')' do not.
	s := string(raw)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, fmt.Errorf("%s: no command name", path)
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 13 {
		return "", 0, fmt.Errorf("%s: short", path)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64) // field 14 of the file
	stime, err2 := strconv.ParseInt(fields[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return "", 0, fmt.Errorf("%s: bad times", path)
	}
	return s[open+1 : end], time.Duration(utime+stime) * ClockTick, nil
}
