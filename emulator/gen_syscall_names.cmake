# Writes syscall_names.inc ({nr, "name"} lines) from the kernel's x86-64 header.
file(STRINGS "${HEADER}" lines REGEX "^#define __NR_[a-z0-9_]+ [0-9]+$")
set(out "")
foreach(line IN LISTS lines)
  string(REGEX MATCH "__NR_([a-z0-9_]+) ([0-9]+)" _ "${line}")
  string(APPEND out "{${CMAKE_MATCH_2}, \"${CMAKE_MATCH_1}\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
