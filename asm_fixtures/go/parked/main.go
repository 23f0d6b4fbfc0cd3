// parked: 100,000 goroutines parked on one channel, then released by closing
// it; each reports back on a second channel.
package main

import "fmt"

func main() {
	const n = 100000
	release := make(chan struct{})
	done := make(chan int, 1024)
	for i := 0; i < n; i++ {
		go func(i int) {
			<-release
			done <- i
		}(i)
	}
	close(release)
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-done
	}
	fmt.Println("goroutines:", n, "sum:", sum)
}
