// preempt: finishes only if a goroutine that never calls a function is
// preempted asynchronously. With GOMAXPROCS(1) the busy goroutine holds the
// only P in a loop with no calls (so no stack-check preemption point); main
// can run again only after sysmon sends the busy thread SIGURG (tgkill) and
// the signal handler injects a call to runtime.asyncPreempt.
package main

import (
	"fmt"
	"runtime"
	"time"
)

var counter uint64

func busy(started chan<- struct{}) {
	close(started)
	for {
		counter++
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	started := make(chan struct{})
	go busy(started)
	<-started
	time.Sleep(time.Millisecond)
	fmt.Println("main ran again while the busy goroutine was still looping")
}
