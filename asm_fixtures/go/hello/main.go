// hello: the bundled program of the tour and of most tests.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
