// Opening a Go binary's DWARF and indexing it once (TRAPS.md: Go emits no
// .debug_aranges or pubnames, so dwarf_addrdie and name lookups must be ours).
#include "runtime_model/dwarf_reader.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "runtime_model/dwarf_impl.h"

namespace gostep::model {

FdCloser::~FdCloser() {
  if (fd >= 0) ::close(fd);
}

namespace {

bool is_type_tag(int tag) {
  switch (tag) {
    case DW_TAG_base_type:
    case DW_TAG_pointer_type:
    case DW_TAG_structure_type:
    case DW_TAG_array_type:
    case DW_TAG_typedef:
    case DW_TAG_subroutine_type:
    case DW_TAG_unspecified_type:
      return true;
    default:
      return false;
  }
}

// "Go cmd/compile go1.19.8; regabi" -> "go1.19.8".
std::string version_from_producer(const std::string& producer) {
  for (std::size_t i = producer.find("go"); i != std::string::npos; i = producer.find("go", i + 1)) {
    if (i + 2 < producer.size() && std::isdigit(static_cast<unsigned char>(producer[i + 2]))) {
      std::size_t end = i + 2;
      while (end < producer.size() && producer[end] != ' ' && producer[end] != ';') ++end;
      return producer.substr(i, end - i);
    }
  }
  return {};
}

// A global's address: Go locates each one with a single DW_OP_addr, in a
// DW_FORM_block1 that libdw 0.188's dwarf_getlocation refuses for DWARF 4 ("not a
// location list value"), so the block is decoded here.
std::optional<std::uint64_t> static_address(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  Dwarf_Block block;
  if (dwarf_formblock(dwarf_attr(die, DW_AT_location, &attr), &block) != 0) return std::nullopt;
  if (block.length != 9 || block.data[0] != DW_OP_addr) return std::nullopt;
  std::uint64_t addr = 0;
  std::memcpy(&addr, block.data + 1, 8);  // amd64: little-endian, 8-byte addresses
  return addr;
}

}  // namespace

std::optional<Dwarf_Die> DwarfInfo::Impl::die_at(Dwarf_Off off) const {
  Dwarf_Die die;
  if (dwarf_offdie(dwarf.get(), off, &die) == nullptr) return std::nullopt;
  return die;
}

void DwarfInfo::Impl::index_units() {
  Dwarf* d = dwarf.get();
  Dwarf_Off off = 0;
  Dwarf_Off next = 0;
  std::size_t header_size = 0;
  while (dwarf_nextcu(d, off, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die cu;
    if (dwarf_offdie(d, off + header_size, &cu) != nullptr) {
      const std::string unit = die_name(&cu);
      if (producer.empty()) {
        Dwarf_Attribute attr;
        if (const char* p = dwarf_formstring(dwarf_attr(&cu, DW_AT_producer, &attr))) producer = p;
      }
      Dwarf_Die child;
      if (dwarf_child(&cu, &child) == 0) {
        do {
          const int tag = dwarf_tag(&child);
          const char* cname = dwarf_diename(&child);
          if (cname == nullptr) continue;
          std::string name = cname;
          if (tag == DW_TAG_subprogram) {
            Dwarf_Addr low = 0;
            Dwarf_Addr high = 0;
            if (dwarf_lowpc(&child, &low) == 0 && dwarf_highpc(&child, &high) == 0 && high > low)
              functions.push_back({std::move(name), low, high, unit, dwarf_dieoffset(&child)});
          } else if (tag == DW_TAG_variable) {
            if (auto addr = static_address(&child)) {
              VariableInfo v{std::move(name), *addr, 0, {}};
              if (auto t = die_type(&child)) {
                v.type_name = die_name(&*t);
                v.size = die_size(*t);
              }
              variables.push_back(std::move(v));
            }
          } else if (tag == DW_TAG_constant) {
            Dwarf_Attribute attr;
            Dwarf_Sword value = 0;
            if (dwarf_formsdata(dwarf_attr(&child, DW_AT_const_value, &attr), &value) == 0)
              constants.emplace(std::move(name), value);
          } else if (is_type_tag(tag)) {
            auto [it, inserted] = types.emplace(name, dwarf_dieoffset(&child));
            // `runtime.m` is both a structure_type and a typedef of it: keep the structure.
            if (!inserted && tag != DW_TAG_typedef) {
              if (auto old = die_at(it->second); old && dwarf_tag(&*old) == DW_TAG_typedef)
                it->second = dwarf_dieoffset(&child);
            }
          }
        } while (dwarf_siblingof(&child, &child) == 0);
      }
    }
    off = next;
  }
  std::sort(functions.begin(), functions.end(),
            [](const FunctionInfo& a, const FunctionInfo& b) { return a.low < b.low; });
  for (std::size_t i = 0; i < functions.size(); ++i) function_by_name.emplace(functions[i].name, i);
  std::sort(variables.begin(), variables.end(),
            [](const VariableInfo& a, const VariableInfo& b) { return a.addr < b.addr; });
  for (std::size_t i = 0; i < variables.size(); ++i) variable_by_name.emplace(variables[i].name, i);
  go_version = version_from_producer(producer);
}

DwarfInfo::DwarfInfo(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DwarfInfo::~DwarfInfo() = default;

std::unique_ptr<DwarfInfo> DwarfInfo::open(const std::string& path, std::string* why) {
  return open(path, Options{}, why);
}

std::unique_ptr<DwarfInfo> DwarfInfo::open(const std::string& path, const Options& options,
                                           std::string* why) {
  auto fail = [&](std::string msg) -> std::unique_ptr<DwarfInfo> {
    if (why) *why = std::move(msg);
    return nullptr;
  };
  elf_version(EV_CURRENT);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->fd.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (impl->fd.fd < 0) return fail(path + ": " + std::strerror(errno));
  impl->dwarf.reset(dwarf_begin(impl->fd.fd, DWARF_C_READ));
  return finish_open(std::move(impl), why);
}

std::unique_ptr<DwarfInfo> DwarfInfo::open_memory(std::vector<std::uint8_t> bytes, std::string* why) {
  elf_version(EV_CURRENT);
  auto impl = std::make_unique<Impl>();
  impl->bytes = std::move(bytes);
  impl->elf.reset(elf_memory(reinterpret_cast<char*>(impl->bytes.data()), impl->bytes.size()));
  if (!impl->elf) {
    if (why) *why = std::string("libelf: ") + elf_errmsg(-1);
    return nullptr;
  }
  impl->dwarf.reset(dwarf_begin_elf(impl->elf.get(), DWARF_C_READ, nullptr));
  return finish_open(std::move(impl), why);
}

std::unique_ptr<DwarfInfo> DwarfInfo::finish_open(std::unique_ptr<Impl> impl, std::string* why) {
  // The reasons are short: Session puts them in one line with the path.
  auto fail = [&](std::string msg) -> std::unique_ptr<DwarfInfo> {
    if (why) *why = std::move(msg);
    return nullptr;
  };
  if (!impl->dwarf) return fail(std::string("libdw: ") + dwarf_errmsg(-1));
  impl->index_units();
  if (impl->functions.empty() && impl->types.empty()) return fail("no functions or types");
  return std::unique_ptr<DwarfInfo>(new DwarfInfo(std::move(impl)));
}

const std::string& DwarfInfo::producer() const { return impl_->producer; }
const std::string& DwarfInfo::go_version() const { return impl_->go_version; }

std::optional<VariableInfo> DwarfInfo::variable(std::string_view name) const {
  auto it = impl_->variable_by_name.find(name);
  if (it == impl_->variable_by_name.end()) return std::nullopt;
  return impl_->variables[it->second];
}

std::optional<VariableInfo> DwarfInfo::variable_at(std::uint64_t addr) const {
  const auto& vars = impl_->variables;
  auto it = std::upper_bound(vars.begin(), vars.end(), addr,
                             [](std::uint64_t a, const VariableInfo& v) { return a < v.addr; });
  // Zero-sized globals (struct{}) share addresses with their neighbours: look past them.
  while (it != vars.begin()) {
    --it;
    if (it->size == 0) continue;
    if (addr < it->addr + it->size) return *it;
    break;
  }
  return std::nullopt;
}

const std::vector<VariableInfo>& DwarfInfo::variables() const { return impl_->variables; }

std::optional<std::int64_t> DwarfInfo::constant(std::string_view name) const {
  auto it = impl_->constants.find(name);
  if (it == impl_->constants.end()) return std::nullopt;
  return it->second;
}

std::vector<ConstantInfo> DwarfInfo::constants_with_prefix(std::string_view prefix) const {
  std::vector<ConstantInfo> out;
  for (auto it = impl_->constants.lower_bound(prefix);
       it != impl_->constants.end() && std::string_view(it->first).starts_with(prefix); ++it)
    out.push_back({it->first, it->second});
  return out;
}

std::optional<FunctionInfo> DwarfInfo::function(std::string_view name) const {
  auto it = impl_->function_by_name.find(name);
  if (it == impl_->function_by_name.end() && name.ends_with(".abi0"))
    it = impl_->function_by_name.find(name.substr(0, name.size() - 5));
  if (it == impl_->function_by_name.end()) return std::nullopt;
  return impl_->functions[it->second];
}

std::optional<FunctionInfo> DwarfInfo::function_at(std::uint64_t pc) const {
  const auto& fns = impl_->functions;
  auto it = std::upper_bound(fns.begin(), fns.end(), pc,
                             [](std::uint64_t a, const FunctionInfo& f) { return a < f.low; });
  if (it == fns.begin()) return std::nullopt;
  --it;
  if (pc < it->high) return *it;
  return std::nullopt;
}

const std::vector<FunctionInfo>& DwarfInfo::functions() const { return impl_->functions; }

}  // namespace gostep::model
