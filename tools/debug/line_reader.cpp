#include "line_reader.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <editline/readline.h>

namespace gostep {
namespace {

// libedit's completion API is C with global state: keep the completer here.
LineReader::Completer* g_completer = nullptr;
std::vector<std::string> g_matches;

char* generator(const char*, int state) {
  if (state == 0) {
    std::string line(rl_line_buffer, static_cast<std::size_t>(rl_point));
    g_matches = (*g_completer)(line);
  }
  if (static_cast<std::size_t>(state) >= g_matches.size()) return nullptr;
  return strdup(g_matches[static_cast<std::size_t>(state)].c_str());
}

char** attempt(const char* text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, generator);
}

}  // namespace

LineReader::LineReader(std::string prompt, Completer complete) : prompt_(std::move(prompt)) {
  interactive_ = isatty(0) && isatty(1);
  if (interactive_) {
    static Completer holder;
    holder = std::move(complete);
    g_completer = &holder;
    rl_readline_name = "gostep";
    rl_attempted_completion_function = attempt;
    rl_basic_word_break_characters = const_cast<char*>(" \t:");
    using_history();
  }
}

LineReader::~LineReader() {
  if (interactive_) clear_history();
}

void LineReader::reset() {
  if (!interactive_) std::cin.clear();
}

std::optional<std::string> LineReader::read() {
  if (!interactive_) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  char* raw = readline(prompt_.c_str());
  if (!raw) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  if (!line.empty()) add_history(line.c_str());
  return line;
}

}  // namespace gostep
