// args: prints os.Args and the variable GOSTEP_GREETING.
package main

import (
	"fmt"
	"os"
)

func main() {
	for i, a := range os.Args[1:] {
		fmt.Printf("arg %d: %s\n", i+1, a)
	}
	fmt.Printf("argc: %d\n", len(os.Args))
	if v, ok := os.LookupEnv("GOSTEP_GREETING"); ok {
		fmt.Println("GOSTEP_GREETING:", v)
	} else {
		fmt.Println("GOSTEP_GREETING is not set")
	}
}
