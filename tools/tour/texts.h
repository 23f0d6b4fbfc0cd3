// The tour's words, in English and Chinese: a title and a short explanation per
// milestone (written for gostep, following the chapter), and the tour's own
// labels. Command names, milestone names and registers stay as they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gostep::tour {

enum class Lang { en, zh };

// --lang, else LC_ALL, LC_MESSAGES, LANG (the first one set): "zh..." is Chinese,
// anything else English.
Lang lang_from_env();
// "en" or "zh"; false for anything else.
bool parse_lang(std::string_view s, Lang& out);

struct Explanation {
  std::string_view title;
  std::string_view body;  // a few sentences, one paragraph
};

// The explanation of a milestone, or nullptr for a name the tour does not know.
const Explanation* explanation(std::string_view milestone, Lang lang);
// The explanation of a miniature's milestone (asm_fixtures/mini, mini_texts.cpp),
// or nullptr for a name no miniature has.
const Explanation* mini_explanation(std::string_view milestone, Lang lang);
// Every milestone the texts cover, in order (tests check both languages cover all of them).
std::vector<std::string_view> explained_milestones(Lang lang);

// The tour's labels.
enum class Label {
  intro,            // "{prog}: {n} milestones, from the ELF entry point to main.main."
  intro_mini,       // "{prog}: the bootstrap in miniature, {n} milestones ..."
  lacks,            // "This program lacks milestone:{name}: {why}"
  version,          // "Built by another Go: ..." prefix for the version warning
  source,           // "Source"
  no_source,        // "(no source line for this address)"
  source_missing,   // "(cannot read {path})"
  disassembly,      // "Disassembly"
  changed_since,    // "Changed since milestone:{prev}"
  first,            // "(the first milestone: nothing to compare with)"
  nothing_changed,  // "(no runtime field changed)"
  and_more,         // "and {n} more"
  picture,          // "Picture"
  no_state,         // "No runtime state: {why}"
  keys,             // the key help line
  step_note,        // after `s`: "(one instruction past milestone:{m}; n goes on to the next milestone)"
  prompt_enter,     // "The debug prompt, here. \"tour\" comes back to the tour, \"quit\" leaves."
  back_at,          // "Back to the tour at milestone:{m}."
  none_after,       // "No milestone comes after instruction {n}."
  at_start,         // "(this is the first milestone of the tour)"
  the_end,          // "End of the tour."
  // The words of the text picture (graph::Words).
  pic_path,
  pic_missing,
  pic_idle,
  pic_current,
  pic_changed,
  pic_no_goroutines,
  pic_no_ps,
};
std::string_view label(Label l, Lang lang);

}  // namespace gostep::tour
