// "Did you mean": names close to what the user typed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gostep::model {

// What the user typed, shown in a one-line message: at most `max` columns, the
// cut marked with "..." (a 4,000-character name must not make a 4,000-column error).
std::string clip_typed(std::string_view typed, std::size_t max = 40);

// Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `max` of `names` that the user probably meant by `typed`: the same name
// in any package (newproc1 -> runtime.newproc1), an ABI0 twin, or a few typos.
std::vector<std::string> similar_names(const std::vector<std::string>& names, std::string_view typed,
                                       std::size_t max = 3);

}  // namespace gostep::model
