// bigalloc: one 10 GiB allocation with its last byte set. Natively it prints
// at once (the kernel commits only the pages touched); so must gostep.
package main

import "fmt"

func main() {
	b := make([]byte, 10<<30)
	b[len(b)-1] = 42
	fmt.Println("len", len(b), "last", b[len(b)-1], "first", b[0])
}
