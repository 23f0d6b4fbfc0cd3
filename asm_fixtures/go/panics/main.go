// panics: an unrecovered panic. Go prints the panic and a traceback on
// stderr and exits with status 2.
package main

import "fmt"

type node struct{ next *node }

func deref(n *node) *node { return n.next }

func main() {
	fmt.Println("about to dereference nil")
	var n *node
	fmt.Println(deref(n))
}
