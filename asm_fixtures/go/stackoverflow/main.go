// stackoverflow: unbounded recursion. Go grows the goroutine stack, copying
// it each time it doubles, up to its 1 GB limit, and then dies with
// "goroutine stack exceeds 1000000000-byte limit" and exit status 2. Each
// frame holds 4 KiB, so the limit is reached after about 250,000 calls.
package main

import "fmt"

var sink byte

//go:noinline
func down(n int) byte {
	var pad [4096]byte
	pad[n%4096] = byte(n)
	return down(n+1) + pad[(n*7)%4096]
}

func main() {
	fmt.Println("recursing")
	sink = down(0)
}
