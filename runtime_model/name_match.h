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
// The distance if it is at most `k`, else k + 1: only a band of 2k+1 cells per
// row is computed, and it stops as soon as a row's best exceeds k (suggestions
// look at every function's name; most are far from what was typed).
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t k);

// Up to `max` of `names` that the user probably meant by `typed`: the same name
// in any package (newproc1 -> runtime.newproc1), an ABI0 twin, or a few typos.
std::vector<std::string> similar_names(const std::vector<std::string>& names, std::string_view typed,
                                       std::size_t max = 3);

}  // namespace gostep::model
