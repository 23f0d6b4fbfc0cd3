// probe: for each path argument, says what the program finds there: the
// error, a directory's names, a link's target or a file's bytes. The sandbox
// tests give it paths that try to leave the granted directories.
package main

import (
	"fmt"
	"os"
)

func main() {
	for _, p := range os.Args[1:] {
		st, err := os.Stat(p)
		if err != nil {
			fmt.Printf("%s: %v\n", p, err)
			continue
		}
		if st.IsDir() {
			entries, err := os.ReadDir(p)
			names := []string{}
			for _, e := range entries {
				names = append(names, e.Name())
			}
			fmt.Printf("%s: dir %v %v\n", p, names, err)
			continue
		}
		b, err := os.ReadFile(p)
		fmt.Printf("%s: %q %v\n", p, b, err)
	}
}
