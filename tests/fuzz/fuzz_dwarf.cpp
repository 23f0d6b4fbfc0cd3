// The DWARF reader (runtime_model/dwarf_reader) over any bytes: opening either
// fails with a reason or gives an index that every lookup can use.
#include <cstdint>
#include <vector>

#include "runtime_model/dwarf_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gostep::model;
  std::string why;
  const auto dw = DwarfInfo::open_memory(std::vector<std::uint8_t>(data, data + size), &why);
  if (!dw) return 0;
  (void)dw->producer();
  (void)dw->go_version();
  // The lookups the runtime model and the evaluator make, on names the seeds have.
  for (const char* t : {"runtime.g", "runtime.m", "g", "stack", "long int", "*runtime.g"}) {
    if (auto ti = dw->type(t)) {
      for (const auto& f : ti->fields) (void)dw->field(t, f.name);
      (void)dw->field_path_at(t, 8);
    }
    (void)dw->field(t, "stack.lo");
    (void)dw->field(t, "tls[2]");
  }
  for (const auto& v : dw->variables()) {
    (void)dw->variable_at(v.addr);
    (void)dw->type(v.type_name);
    if (v.type_name.size() < 200) (void)dw->field_path_at(v.type_name, v.size / 2);
  }
  (void)dw->constants_with_prefix("runtime._G");
  for (const auto& f : dw->functions()) {
    (void)dw->function(f.name);
    (void)dw->function_at(f.low);
    if (auto line = dw->line_at(f.low)) (void)dw->pc_for_line(line->file, line->line);
  }
  for (const auto& file : dw->source_files()) (void)dw->pc_for_line(file, 1);
  (void)dw->pc_for_line("tiny.c:9");
  (void)dw->pc_for_line("proc.go:100");
  return 0;
}
