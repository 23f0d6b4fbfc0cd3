// goroutines: several goroutines, channels, a sync.WaitGroup and a mutex.
// The output is deterministic natively too: results are collected and sorted.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func main() {
	const workers = 4
	jobs := make(chan int)
	results := make(chan int, 16)
	var wg sync.WaitGroup
	var mu sync.Mutex
	handled := 0

	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				handled++
				mu.Unlock()
				results <- j * j
			}
		}()
	}
	go func() {
		for i := 1; i <= 10; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var squares []int
	for r := range results {
		squares = append(squares, r)
	}
	sort.Ints(squares)
	fmt.Println("squares:", squares)
	fmt.Println("handled:", handled)
}
