// The tour's texts (tools/tour/texts.cpp): every milestone explained in English
// and in Chinese, every label in both languages, and the language chosen from
// --lang or the locale variables.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "emulator/elf_image.h"
#include "runtime_model/milestones.h"
#include "tools/text_util.h"
#include "tools/tour/texts.h"

namespace gostep::tour {
namespace {

bool has_cjk(std::string_view s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0xE4 && static_cast<unsigned char>(s[i]) <= 0xE9) return true;
  return false;
}

TEST(TourTexts, EveryMilestoneIsExplainedInBothLanguages) {
  for (const auto& name : model::milestone_names()) {
    const Explanation* en = explanation(name, Lang::en);
    const Explanation* zh = explanation(name, Lang::zh);
    ASSERT_NE(en, nullptr) << name;
    ASSERT_NE(zh, nullptr) << name;
    EXPECT_FALSE(en->title.empty()) << name;
    EXPECT_GE(en->body.size(), 150u) << name << ": a few sentences, not a line";
    EXPECT_FALSE(has_cjk(en->title) || has_cjk(en->body)) << name << ": Chinese in the English text";
    EXPECT_TRUE(has_cjk(zh->title) || zh->title.find("runtime.") == 0) << name;
    EXPECT_TRUE(has_cjk(zh->body)) << name << ": the Chinese text is not Chinese";
    EXPECT_NE(std::string(en->body), std::string(zh->body)) << name;
    // Wide enough to read: no "line" longer than a paragraph is expected to be.
    EXPECT_LE(columns(zh->body), 600u) << name;
  }
  EXPECT_EQ(explained_milestones(Lang::en).size(), model::milestone_names().size());
  EXPECT_EQ(explained_milestones(Lang::zh).size(), model::milestone_names().size());
  EXPECT_EQ(explanation("no_such_milestone", Lang::en), nullptr);
}

// The miniatures' milestones (their main.milestone_* functions) have texts of their own.
TEST(TourTexts, EveryMiniatureMilestoneIsExplainedInBothLanguages) {
  std::size_t seen = 0;
  for (const char* demo : {"rt0", "settls", "settls_off8", "bind", "newproc", "gogo"}) {
    const ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/mini/" + demo);
    const auto milestones = model::demo_milestones(img);
    EXPECT_GE(milestones.size(), 4u) << demo;
    for (const auto& m : milestones) {
      ++seen;
      const Explanation* en = mini_explanation(m.name, Lang::en);
      const Explanation* zh = mini_explanation(m.name, Lang::zh);
      ASSERT_NE(en, nullptr) << demo << ": milestone " << m.name << " has no English text";
      ASSERT_NE(zh, nullptr) << demo << ": milestone " << m.name << " has no Chinese text";
      EXPECT_GE(en->body.size(), 100u) << m.name;
      EXPECT_FALSE(has_cjk(en->title) || has_cjk(en->body)) << m.name;
      EXPECT_TRUE(has_cjk(zh->body)) << m.name;
    }
  }
  EXPECT_GE(seen, 30u);
  EXPECT_EQ(mini_explanation("rt0_go", Lang::en), nullptr);  // the real program's, not a miniature's
}

TEST(TourTexts, EveryLabelExistsInBothLanguages) {
  for (int l = static_cast<int>(Label::intro); l <= static_cast<int>(Label::pic_no_ps); ++l) {
    EXPECT_FALSE(label(static_cast<Label>(l), Lang::en).empty()) << l;
    EXPECT_FALSE(label(static_cast<Label>(l), Lang::zh).empty()) << l;
    EXPECT_TRUE(has_cjk(label(static_cast<Label>(l), Lang::zh))) << l;
  }
}

TEST(TourTexts, LanguageFromTheLocaleVariables) {
  const char* names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  std::string saved[3];
  bool had[3];
  for (int i = 0; i < 3; ++i) {
    const char* v = std::getenv(names[i]);
    had[i] = v != nullptr;
    if (v) saved[i] = v;
    unsetenv(names[i]);
  }
  EXPECT_EQ(lang_from_env(), Lang::en);
  setenv("LANG", "zh_CN.UTF-8", 1);
  EXPECT_EQ(lang_from_env(), Lang::zh);
  setenv("LC_ALL", "C.UTF-8", 1);  // LC_ALL wins
  EXPECT_EQ(lang_from_env(), Lang::en);
  setenv("LC_ALL", "zh_TW.UTF-8", 1);
  EXPECT_EQ(lang_from_env(), Lang::zh);
  for (int i = 0; i < 3; ++i) {
    if (had[i]) setenv(names[i], saved[i].c_str(), 1);
    else unsetenv(names[i]);
  }
  Lang l = Lang::en;
  EXPECT_TRUE(parse_lang("zh", l));
  EXPECT_EQ(l, Lang::zh);
  EXPECT_FALSE(parse_lang("fr", l));
}

}  // namespace
}  // namespace gostep::tour
