// hotloop: CPU-bound code with no allocation after start-up: a sieve of
// Eratosthenes over 2 million bytes, repeated, and an integer hash loop.
// The benchmark for gostep's speed on hot guest code (bench/).
package main

import "fmt"

func sieve(n int) int {
	composite := make([]bool, n)
	count := 0
	for i := 2; i < n; i++ {
		if composite[i] {
			continue
		}
		count++
		for j := i * i; j < n; j += i {
			composite[j] = true
		}
	}
	return count
}

func hash(rounds int) uint64 {
	h := uint64(1469598103934665603)
	for i := 0; i < rounds; i++ {
		h ^= uint64(i)
		h *= 1099511628211
		h = h<<13 | h>>51
	}
	return h
}

func main() {
	primes := 0
	for r := 0; r < 5; r++ {
		primes = sieve(2_000_000)
	}
	fmt.Println("primes below 2,000,000:", primes)
	fmt.Printf("hash: %#x\n", hash(20_000_000))
}
