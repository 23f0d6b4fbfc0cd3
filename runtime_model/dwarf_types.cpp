// Type layouts from DWARF: sizes, members, array bounds, and paths into them
// ("sched.sp", "tls[2]"). Go's own layouts (runtime2.go) are never assumed here.
#include <dwarf.h>
#include <fmt/format.h>

#include <charconv>

#include "runtime_model/dwarf_impl.h"

namespace gostep::model {

std::string_view to_string(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBase: return "base";
    case TypeKind::kPointer: return "pointer";
    case TypeKind::kStruct: return "struct";
    case TypeKind::kArray: return "array";
    case TypeKind::kFunc: return "func";
    case TypeKind::kOther: break;
  }
  return "other";
}

std::string die_name(Dwarf_Die* die) {
  const char* n = dwarf_diename(die);
  return n ? n : "";
}

std::optional<Dwarf_Die> die_type(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  Dwarf_Die type;
  if (dwarf_formref_die(dwarf_attr(die, DW_AT_type, &attr), &type) == nullptr) return std::nullopt;
  return type;
}

Dwarf_Die strip_typedefs(Dwarf_Die die) {
  for (int depth = 0; depth < 16 && dwarf_tag(&die) == DW_TAG_typedef; ++depth) {
    auto target = die_type(&die);
    if (!target) break;
    die = *target;
  }
  return die;
}

TypeKind die_kind(Dwarf_Die die) {
  die = strip_typedefs(die);
  switch (dwarf_tag(&die)) {
    case DW_TAG_base_type: return TypeKind::kBase;
    case DW_TAG_pointer_type: return TypeKind::kPointer;
    case DW_TAG_structure_type: return TypeKind::kStruct;
    case DW_TAG_array_type: return TypeKind::kArray;
    case DW_TAG_subroutine_type: return TypeKind::kFunc;
    default: return TypeKind::kOther;
  }
}

std::uint64_t array_count(Dwarf_Die array) {
  Dwarf_Die sub;
  if (dwarf_child(&array, &sub) != 0) return 0;
  do {
    if (dwarf_tag(&sub) != DW_TAG_subrange_type) continue;
    Dwarf_Attribute attr;
    Dwarf_Word n = 0;
    if (dwarf_formudata(dwarf_attr(&sub, DW_AT_count, &attr), &n) == 0) return n;
    if (dwarf_formudata(dwarf_attr(&sub, DW_AT_upper_bound, &attr), &n) == 0) return n + 1;
  } while (dwarf_siblingof(&sub, &sub) == 0);
  return 0;
}

std::uint64_t die_size(Dwarf_Die die) {
  die = strip_typedefs(die);
  Dwarf_Attribute attr;
  Dwarf_Word size = 0;
  if (dwarf_formudata(dwarf_attr(&die, DW_AT_byte_size, &attr), &size) == 0) return size;
  const int tag = dwarf_tag(&die);
  if (tag == DW_TAG_pointer_type || tag == DW_TAG_subroutine_type) {
    // Go gives pointers no DW_AT_byte_size: they are the unit's address size.
    Dwarf_Die cu;
    std::uint8_t address_size = 8;
    if (dwarf_diecu(&die, &cu, &address_size, nullptr) == nullptr) return 8;
    return address_size;
  }
  if (tag == DW_TAG_array_type) {
    if (auto elem = die_type(&die)) return array_count(die) * die_size(*elem);
  }
  return 0;
}

std::optional<std::uint64_t> member_offset(Dwarf_Die* member) {
  Dwarf_Attribute attr;
  Dwarf_Word off = 0;
  if (dwarf_formudata(dwarf_attr(member, DW_AT_data_member_location, &attr), &off) != 0)
    return std::nullopt;
  return off;
}

namespace {

struct Member {
  std::string name;
  std::uint64_t offset = 0;
  Dwarf_Die type;
};

std::vector<Member> members_of(Dwarf_Die strct) {
  std::vector<Member> out;
  Dwarf_Die child;
  if (dwarf_child(&strct, &child) != 0) return out;
  do {
    if (dwarf_tag(&child) != DW_TAG_member) continue;
    auto off = member_offset(&child);
    auto type = die_type(&child);
    if (off && type) out.push_back({die_name(&child), *off, *type});
  } while (dwarf_siblingof(&child, &child) == 0);
  return out;
}

// One step of a field path: a member name or an array index.
struct PathStep {
  std::string name;  // empty for an index
  std::uint64_t index = 0;
};

Result<std::vector<PathStep>> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos)
        return Error{fmt::format("unclosed '[' in field path '{}'", path)};
      PathStep step;
      const char* first = path.data() + i + 1;
      const char* last = path.data() + close;
      auto [ptr, ec] = std::from_chars(first, last, step.index);
      if (ec != std::errc() || ptr != last || first == last)
        return Error{fmt::format("bad array index '{}' in field path '{}'",
                                 path.substr(i + 1, close - i - 1), path)};
      steps.push_back(step);
      i = close + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", i);
    const std::size_t stop = end == std::string_view::npos ? path.size() : end;
    steps.push_back({std::string(path.substr(i, stop - i)), 0});
    i = stop;
  }
  if (steps.empty()) return Error{"empty field path"};
  return steps;
}

}  // namespace

std::optional<TypeInfo> DwarfInfo::type(std::string_view name) const {
  auto it = impl_->types.find(name);
  if (it == impl_->types.end()) return std::nullopt;
  auto die = impl_->die_at(it->second);
  if (!die) return std::nullopt;
  const Dwarf_Die resolved = strip_typedefs(*die);
  TypeInfo info;
  info.name = std::string(name);
  info.kind = die_kind(resolved);
  info.size = die_size(resolved);
  for (Dwarf_Die d : {*die, resolved}) {  // a typedef (map, chan) or the struct itself (string, slice) carries them
    Dwarf_Attribute attr;
    Dwarf_Word k = 0;
    Dwarf_Die ref;
    if (!info.go_kind && dwarf_formudata(dwarf_attr(&d, kDwAtGoKind, &attr), &k) == 0) info.go_kind = static_cast<int>(k);
    if (info.go_key.empty() && dwarf_formref_die(dwarf_attr(&d, kDwAtGoKey, &attr), &ref)) info.go_key = die_name(&ref);
    if (info.go_elem.empty() && dwarf_formref_die(dwarf_attr(&d, kDwAtGoElem, &attr), &ref)) info.go_elem = die_name(&ref);
  }
  if (info.kind == TypeKind::kStruct) {
    for (auto& m : members_of(resolved)) {
      info.fields.push_back(
          {m.name, m.offset, die_size(m.type), die_name(&m.type), die_kind(m.type)});
    }
  } else if (info.kind == TypeKind::kArray || info.kind == TypeKind::kPointer) {
    Dwarf_Die r = resolved;
    if (auto elem = die_type(&r)) info.elem_type = die_name(&*elem);
    if (info.kind == TypeKind::kArray) info.count = array_count(resolved);
  }
  return info;
}

Result<FieldLocation> DwarfInfo::field(std::string_view type_name, std::string_view path) const {
  auto it = impl_->types.find(type_name);
  if (it == impl_->types.end()) return Error{fmt::format("no type '{}' in the DWARF", type_name)};
  auto start = impl_->die_at(it->second);
  if (!start) return Error{fmt::format("cannot read type '{}'", type_name)};
  auto steps = parse_path(path);
  if (!steps) return Error{steps.error()};

  Dwarf_Die current = *start;  // the named type (typedefs kept, for its name)
  std::string where(type_name);
  std::uint64_t offset = 0;
  for (const PathStep& step : *steps) {
    Dwarf_Die resolved = strip_typedefs(current);
    if (!step.name.empty()) {
      if (dwarf_tag(&resolved) != DW_TAG_structure_type)
        return Error{fmt::format("{} ({}) is not a struct: no field '{}'", where,
                                 die_name(&current), step.name)};
      bool found = false;
      for (auto& m : members_of(resolved)) {
        if (m.name != step.name) continue;
        offset += m.offset;
        current = m.type;
        found = true;
        break;
      }
      if (!found) return Error{fmt::format("{} has no field '{}'", where, step.name)};
      where += "." + step.name;
    } else {
      if (dwarf_tag(&resolved) != DW_TAG_array_type)
        return Error{fmt::format("{} ({}) is not an array", where, die_name(&current))};
      const std::uint64_t count = array_count(resolved);
      if (step.index >= count)
        return Error{fmt::format("index {} out of range: {} has {} elements", step.index, where,
                                 count)};
      auto elem = die_type(&resolved);
      if (!elem) return Error{fmt::format("{} has no element type", where)};
      offset += step.index * die_size(*elem);
      current = *elem;
      where += fmt::format("[{}]", step.index);
    }
  }
  return FieldLocation{offset, die_size(current), die_name(&current), die_kind(current)};
}

std::string DwarfInfo::field_path_at(std::string_view type_name, std::uint64_t offset,
                                     std::uint64_t* rest) const {
  std::string path;
  auto it = impl_->types.find(type_name);
  std::optional<Dwarf_Die> current;
  if (it != impl_->types.end()) current = impl_->die_at(it->second);
  for (int depth = 0; current && depth < 32; ++depth) {
    Dwarf_Die resolved = strip_typedefs(*current);
    const int tag = dwarf_tag(&resolved);
    current.reset();
    if (tag == DW_TAG_structure_type) {
      for (auto& m : members_of(resolved)) {
        const std::uint64_t size = die_size(m.type);
        if (offset >= m.offset && offset < m.offset + size) {
          path += (path.empty() ? "" : ".") + m.name;
          offset -= m.offset;
          current = m.type;
          break;
        }
      }
    } else if (tag == DW_TAG_array_type) {
      auto elem = die_type(&resolved);
      const std::uint64_t esize = elem ? die_size(*elem) : 0;
      if (esize != 0 && offset < esize * array_count(resolved)) {
        path += fmt::format("[{}]", offset / esize);
        offset %= esize;
        current = elem;
      }
    }
  }
  if (rest) *rest = offset;
  return path;
}

}  // namespace gostep::model
