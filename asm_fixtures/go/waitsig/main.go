// waitsig: waits for a signal the way command-line tools do. With no
// argument it waits for SIGINT or SIGTERM through signal.Notify and says
// which came. With "ignore" it ignores SIGINT and waits for SIGTERM; with
// "plain" it installs nothing and sleeps until a signal ends it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	c := make(chan os.Signal, 1)
	switch mode {
	case "plain":
		fmt.Println("waiting")
		for {
			time.Sleep(time.Hour)
		}
	case "ignore":
		signal.Ignore(os.Interrupt)
		signal.Notify(c, syscall.SIGTERM)
	default:
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	}
	fmt.Println("waiting")
	s := <-c
	fmt.Println("got", s)
}
