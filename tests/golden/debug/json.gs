# The same session for tools: one JSON object per command (--json).
break runtime.settls
continue
stepi
print m0.tls[0]
until milestone:newproc_return
info goroutines
continue
