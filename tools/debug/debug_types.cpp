// ptype and whatis (gdb's names): the Go type of an expression or a type name,
// with field offsets and sizes from DWARF (`ptype runtime.g` is a lecture slide).
#include <fmt/format.h>

#include "debugger.h"
#include "tools/text_util.h"

namespace gostep {
namespace {

using json = nlohmann::ordered_json;

const char* kind_word(int go_kind) {
  namespace k = model::go_kind;
  switch (go_kind) {
    case k::kString: return "string";
    case k::kSlice: return "slice";
    case k::kMap: return "map";
    case k::kChan: return "chan";
    case k::kInterface: return "interface";
    case k::kFunc: return "func";
    case k::kPtr: return "pointer";
    case k::kStruct: return "struct";
    case k::kArray: return "array";
    default: return nullptr;
  }
}

}  // namespace

// The type named by `arg`: a type name DWARF knows, else the type of the expression.
// `from_expr` says which it was.
static model::Result<model::TypeInfo> type_for(engine::Target& t, const std::string& arg, bool& from_expr,
                                               std::string& why_expr) {
  from_expr = false;
  const model::DwarfInfo* dw = t.session().dwarf();
  if (!dw) return model::Error{"this binary has no DWARF: no types"};
  std::string name = arg;
  if (name.rfind("struct ", 0) == 0) name = trim(name.substr(7));
  if (auto ti = dw->type(name)) return *ti;
  const auto v = t.evaluate(arg);
  if (!v) {
    why_expr = v.error().message;
    return model::Error{fmt::format("No type or symbol \"{}\": {}", arg, why_expr)};
  }
  from_expr = true;
  if (v->type.empty()) {  // an untyped constant
    model::TypeInfo ti;
    ti.name = "int64 (an untyped constant)";
    ti.size = 8;
    return ti;
  }
  if (auto ti = dw->type(v->type)) return *ti;
  model::TypeInfo ti;
  ti.name = v->type;
  ti.size = v->size;
  return ti;
}

void Debugger::cmd_ptype(const Args& a) {
  if (a.rest.empty()) return error(fmt::format("{} needs an expression or a type: {} runtime.g, {} list", a.command, a.command, a.command));
  bool from_expr = false;
  std::string why;
  const auto ti = type_for(t_, a.rest, from_expr, why);
  if (!ti) return error(ti.error());
  result_["type"] = ti->name;
  result_["size"] = ti->size;
  const char* kw = kind_word(ti->go_kind);
  if (kw) result_["kind"] = kw;
  if (a.command == "whatis") return say(fmt::format("type = {}\n", ti->name));
  std::string s;
  const std::string extra = ti->go_kind == model::go_kind::kMap    ? fmt::format(", key {}, element {}", ti->go_key, ti->go_elem)
                            : (ti->go_kind == model::go_kind::kChan || ti->go_kind == model::go_kind::kSlice) && !ti->go_elem.empty()
                                ? fmt::format(", element {}", ti->go_elem)
                                : "";
  if (ti->kind == model::TypeKind::kStruct) {
    std::size_t w = 4, tw = 4;
    for (const auto& f : ti->fields) {
      w = std::max(w, f.name.size());
      tw = std::max(tw, f.type_name.size());
    }
    w = std::min<std::size_t>(w, 24);
    tw = std::min<std::size_t>(tw, 32);
    s += fmt::format("type {} {}{{   // {} bytes{}\n", ti->name, kw && std::string(kw) != "struct" ? std::string(kw) + " " : "struct ",
                     ti->size, extra);
    json fields = json::array();
    for (const auto& f : ti->fields) {
      s += fmt::format("    {:<{}} {:<{}}  // offset {:#x} ({}), size {}\n", f.name, w, f.type_name, tw, f.offset, f.offset,
                       f.size);
      fields.push_back({{"name", f.name}, {"type", f.type_name}, {"offset", f.offset}, {"size", f.size}});
    }
    s += "}\n";
    result_["fields"] = fields;
  } else if (ti->kind == model::TypeKind::kArray) {
    s += fmt::format("type = [{}]{}   // {} bytes\n", ti->count, ti->elem_type, ti->size);
  } else if (ti->kind == model::TypeKind::kPointer && !kw) {
    s += fmt::format("type = {}   // a pointer to {}, {} bytes\n", ti->name, ti->elem_type, ti->size);
  } else {
    s += fmt::format("type = {}   // {}{} bytes{}\n", ti->name, kw ? std::string(kw) + ", " : "", ti->size, extra);
  }
  say(s);
}

}  // namespace gostep
