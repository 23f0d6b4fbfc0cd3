// empty: the smallest Go program. Its bootstrap is the chapter's subject.
package main

func main() {}
