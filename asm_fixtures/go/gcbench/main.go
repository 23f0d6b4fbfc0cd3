// gcbench: allocates binary trees (the classic GC benchmark), so the garbage
// collector runs many cycles with its background workers. The benchmark for
// gostep's speed on garbage-collecting programs (bench/).
package main

import "fmt"

type node struct{ left, right *node }

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{build(depth - 1), build(depth - 1)}
}

func (n *node) count() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.count() + n.right.count()
}

func main() {
	long := build(16)
	total := 0
	for i := 0; i < 40; i++ {
		total += build(14).count()
	}
	fmt.Println("nodes:", total, "long-lived:", long.count())
}
