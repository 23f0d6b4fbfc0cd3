// timers: time.Sleep, time.After and a time.Ticker. Under gostep the clock is
// virtual, so these sleeps cost no wall time and always end in the same order.
package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(10 * time.Millisecond)
	fmt.Println("slept")

	select {
	case <-time.After(5 * time.Millisecond):
		fmt.Println("after fired")
	}

	ticker := time.NewTicker(2 * time.Millisecond)
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 3 {
			break
		}
	}
	ticker.Stop()
	fmt.Println("ticks:", ticks)
	if time.Since(start) >= 15*time.Millisecond {
		fmt.Println("elapsed: at least 15ms")
	}
}
