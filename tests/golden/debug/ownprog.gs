# A student's own program (asm_fixtures/go/ownprog): goroutines over channels, a linked
# list, a slice, a map, an interface, a closure, an inlined helper and Chinese text.
# 1. Arguments and locals from DWARF, Go-style.
break main.inspect
continue
info args
info locals
print list
print list.next.val + len(shelf)
print *list.next
print greeting
x/s greeting.str
print jobs
print next
whatis shelf
ptype list
ptype main.node
# 2. The caller: what Go kept in its frame, what it left nowhere.
up
info locals
list
frame 0
# 3. An inlined helper: one breakpoint, a location at each site; its own frame in bt.
break main.add
continue
bt 3
info args
up
info locals
delete
# 4. Goroutines waiting on a channel, a mutex and a sleep, as Delve lists them.
break main.parked
continue
info goroutines
goroutine 5 bt
goroutine 5 info locals
goroutine 6 bt
bt 2
delete
# 5. A watchpoint on a local (here the caller's, after "up") ends when its frame returns.
break main.bump
continue
up
watch sum
delete 4
continue
continue
continue
continue
continue
continue
# Where Go keeps nothing yet there is nothing to watch: refused, saying what to do.
break main.tally
run
next
watch sum
