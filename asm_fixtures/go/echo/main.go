// echo: copies stdin to stdout and says how many bytes it copied on stderr.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	n, err := io.Copy(os.Stdout, os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "echo: %d bytes\n", n)
}
