// The newproc miniature: its code is main·entry in demo_amd64.s, the program's entry
// point (linked with -ldflags=-E=main.entry). The runtime never starts, but its
// types and globals are in the binary, so gostep's views (info g0, info m0,
// info tls, info p, info sched, graph) show the demo's work on the real ones.
package main

func entry()

func main() { entry() }
