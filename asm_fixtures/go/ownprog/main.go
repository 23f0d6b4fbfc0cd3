// ownprog: a student's own program, for gostep's locals and arguments,
// goroutines, inlining, types and source (issue 9). It prints the same line
// natively and under gostep: nothing it prints depends on the schedule.
package main

import (
	"fmt"
	"sync"
	"time"
)

// node is a linked list cell: a struct with a pointer.
type node struct {
	val  int
	name string
	next *node
}

type shape interface{ area() int }

type rect struct{ w, h int }

func (r rect) area() int { return r.w * r.h }

var names = []string{"零", "一", "二", "三"}

// add is small enough that the compiler inlines it at every call.
func add(a, b int) int {
	return a + b
}

//go:noinline
func build(n int) *node {
	var head *node
	for i := n; i > 0; i-- {
		head = &node{val: i, name: names[i%len(names)], next: head}
	}
	return head
}

//go:noinline
func sum(list *node, scale int) int {
	total := 0
	for p := list; p != nil; p = p.next {
		total = add(total, p.val*scale)
	}
	return total
}

// counter returns a closure that captures count (by reference) and step.
func counter(step int) func() int {
	count := 0
	return func() int {
		count += step
		return count
	}
}

//go:noinline
func worker(id int, jobs <-chan string, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for title := range jobs {
		results <- add(len(title), id-id)
	}
}

//go:noinline
func inspect(list *node, shelf []int, stock map[string]int, s shape, greeting string, jobs chan string, next func() int) int {
	n := next()
	n = add(n, len(shelf)+len(stock)+s.area())
	return n + len(greeting) + cap(jobs) + list.val
}

// waiters parks one goroutine on each kind of wait, then calls parked.
//
//go:noinline
func waiters(mu *sync.Mutex, never chan int) {
	mu.Lock()
	go func() { <-never }()                // chan receive
	go func() { mu.Lock(); mu.Unlock() }() // semacquire
	go func() { time.Sleep(time.Hour) }()  // sleep
	time.Sleep(time.Millisecond)
	parked()
	mu.Unlock()
}

//go:noinline
func parked() {}

func main() {
	list := build(3)
	shelf := make([]int, 0, 8)
	shelf = append(shelf, 3, 1, 4, 1, 5)
	stock := map[string]int{"三体": 3, "红楼梦": 1, "Go": 7}
	greeting := "你好, gostep"
	var s shape = rect{w: 3, h: 4}
	next := counter(2)
	jobs := make(chan string, 4)
	results := make(chan int, 4)
	var wg sync.WaitGroup
	for id := 1; id <= 2; id++ {
		wg.Add(1)
		go worker(id, jobs, results, &wg)
	}
	jobs <- greeting
	n := inspect(list, shelf, stock, s, greeting, jobs, next)
	total := sum(list, 2)
	close(jobs)
	wg.Wait()
	close(results)
	got := 0
	for r := range results {
		got += r
	}
	var mu sync.Mutex
	waiters(&mu, make(chan int))
	fmt.Println(n, total, got, next(), tally(shelf))
}

// tally keeps sum in its frame (bump writes it through a pointer), so a
// watchpoint on sum can follow it until tally returns.
//
//go:noinline
func tally(xs []int) (sum int) {
	for i := range xs {
		bump(&sum, xs[i])
	}
	return sum
}

//go:noinline
func bump(p *int, v int) { *p += v }
