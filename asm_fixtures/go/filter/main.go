// filter: a formatter-like tool. It asks whether stdin is a terminal (the
// TCGETS ioctl, as golang.org/x/term's IsTerminal does), then reads stdin to
// its end and writes it back with every line trimmed and numbered.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"unsafe"
)

func isTerminal(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

func main() {
	fmt.Fprintf(os.Stderr, "filter: stdin is a terminal: %v, stdout is a terminal: %v\n", isTerminal(0), isTerminal(1))
	st, err := os.Stdin.Stat()
	if err != nil {
		fmt.Fprintln(os.Stderr, "filter:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "filter: stdin is a character device: %v\n", st.Mode()&os.ModeCharDevice != 0)
	sc := bufio.NewScanner(os.Stdin)
	w := bufio.NewWriter(os.Stdout)
	n := 0
	for sc.Scan() {
		n++
		fmt.Fprintf(w, "%4d  %s\n", n, strings.TrimSpace(sc.Text()))
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "filter:", err)
		os.Exit(1)
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "filter: %d lines\n", n)
}
