// A debugging session over one guest: the emulated process, the binary's
// symbols and DWARF, the runtime model and the milestones. The command line
// asks it to run and stop and gets back why it stopped; it never formats
// text for people (DESIGN.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/process.h"
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/milestones.h"
#include "runtime_model/pclntab.h"
#include "runtime_model/result.h"
#include "runtime_model/runtime_state.h"
#include "runtime_model/symbolizer.h"

namespace gostep {

// A LOC of DESIGN.md, resolved: an instruction address, or an instruction count.
struct Location {
  enum class Kind { address, insn } kind = Kind::address;
  GuestAddr addr = 0;      // address (the first of `addrs`)
  // Every address the LOC stands for: a function's entry and each site where it
  // was inlined (DWARF's DW_TAG_inlined_subroutine), sorted; one address otherwise.
  std::vector<GuestAddr> addrs;
  std::uint64_t insn = 0;  // insn: before the insn-th executed instruction (1-based)
  std::string text;        // as the user wrote it
};

// The one-line warning for a binary built by another Go than go1.19 (the model
// is made and tested for go1.19), or "" for go1.19.x.
std::string go_version_warning(const std::string& path, const std::string& version);

class Session {
 public:
  // Loads PROG (throws LoadError with the exit status for bad files).
  Session(const std::string& path, ProcessOptions options);
  ~Session();

  Process& process() { return *process_; }
  // Starts the program again from its entry point, with the same options.
  void restart();
  const ElfImage& image() const { return image_; }
  const model::DwarfInfo* dwarf() const { return dwarf_.get(); }
  const model::Symbolizer& symbols() const { return *symbols_; }
  // Go's pclntab (null when the file has none; pclntab_error() says why).
  const model::Pclntab* pclntab() const { return pclntab_ ? &*pclntab_ : nullptr; }
  const std::string& pclntab_error() const { return pclntab_error_; }
  // Null when the binary has no usable DWARF; model_error() says why.
  const model::RuntimeModel* model() const { return model_.get(); }
  const std::string& model_error() const { return model_error_; }
  // A warning to show once (another Go version), or empty.
  const std::string& version_warning() const { return version_warning_; }
  const std::vector<model::Milestone>& milestones() const { return milestones_; }
  // What the process was started with (argv, environment, seed...).
  const ProcessOptions& options() const { return options_; }

  // SYMBOL | SYMBOL+OFF | 0xADDR | FILE:LINE | insn:N | milestone:NAME
  model::Result<Location> resolve(const std::string& loc) const;

  // The runtime's state now, seen from the current thread. Requires model().
  model::RuntimeState capture();
  model::RuntimeState capture_thread(Thread& t);
  model::MemoryReader reader();
  // Instructions executed so far + 1: the number of the instruction about to run.
  std::uint64_t next_insn() const { return process_->insn_count() + 1; }

  // Runs until one of `targets` is reached or the guest stops for another reason.
  // Returns the stop; `hit` gets the indexes of the targets reached at it.
  StopReason run_to(const std::vector<Location>& targets, std::vector<std::size_t>& hit);

 private:
  ElfImage image_;
  std::unique_ptr<model::DwarfInfo> dwarf_;
  std::optional<model::Pclntab> pclntab_;
  std::unique_ptr<model::Symbolizer> symbols_;
  std::unique_ptr<model::RuntimeModel> model_;
  std::string model_error_, version_warning_, pclntab_error_;
  std::vector<model::Milestone> milestones_;
  ProcessOptions options_;
  std::unique_ptr<Process> process_;
};

}  // namespace gostep
