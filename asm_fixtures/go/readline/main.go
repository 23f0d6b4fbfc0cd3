// readline: reads one line from stdin while a goroutine works and reports.
// Under gostep the blocked read must block only its own thread: the test
// sends the line only after it has seen the worker's report.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func isPrime(n int) bool {
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return true
}

func main() {
	done := make(chan int)
	go func() {
		n := 0
		for i := 2; i < 20000; i++ {
			if isPrime(i) {
				n++
			}
		}
		fmt.Println("worker done:", n)
		done <- n
	}()
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	fmt.Printf("read %q %v\n", line, err)
	<-done
}
