// touch: maps 4 GiB of address space with one anonymous mmap and touches one
// byte in each of the first N 64 KiB chunks (N from argv[1], default 65536),
// then sums them back. Natively it costs a few milliseconds and N pages of
// memory; gostep must cost what the guest touches too (issue 13).
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func main() {
	chunks := 65536
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 1 || n > 65536 {
			fmt.Fprintln(os.Stderr, "usage: touch [CHUNKS 1..65536]")
			os.Exit(2)
		}
		chunks = n
	}
	const chunk = 64 << 10
	mem, err := syscall.Mmap(-1, 0, 65536*chunk, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mmap:", err)
		os.Exit(1)
	}
	for i := 0; i < chunks; i++ {
		mem[i*chunk] = byte(i)
	}
	sum := 0
	for i := 0; i < chunks; i++ {
		sum += int(mem[i*chunk])
	}
	fmt.Printf("touched %d chunks of 64 KiB, sum %d\n", chunks, sum)
}
