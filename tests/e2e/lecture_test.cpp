// Lecture mode from the outside: the tour (auto and with keys on a terminal),
// pictures from `gostep graph`, colour, and the rule that every line of the
// tour, the prompt's stop reports and its info views fits 80 and 100 columns.
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

// ---- widths, measured here independently of gostep's own code: UTF-8 by hand,
// CJK (U+1100..U+115F, U+2E80..U+A4CF, U+AC00..U+D7A3, U+F900..U+FAFF,
// U+FE30..U+FE4F, U+FF00..U+FF60, U+FFE0..U+FFE6) two columns, colour
// sequences none, tabs to the next multiple of 8.
std::string strip_colour(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::size_t width_of(const std::string& line) {
  const std::string s = strip_colour(line);
  std::size_t col = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t c = b;
    std::size_t len = 1;
    if (b >= 0xF0) c = b & 0x07, len = 4;
    else if (b >= 0xE0) c = b & 0x0F, len = 3;
    else if (b >= 0xC0) c = b & 0x1F, len = 2;
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (c == '\t') col = (col / 8 + 1) * 8;
    else if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || (c >= 0xAC00 && c <= 0xD7A3) ||
             (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
             (c >= 0xFFE0 && c <= 0xFFE6))
      col += 2;
    else if (c >= 0x20)
      col += 1;
  }
  return col;
}

// A line made of one token (after its indentation) may be longer than the width.
bool one_token(const std::string& line) {
  const std::string s = strip_colour(line);
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos || s.find(' ', b) == std::string::npos;
}

void expect_fits(const std::string& text, std::size_t width, const std::string& what) {
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (width_of(line) > width && !one_token(line))
      ADD_FAILURE() << what << ": line " << n << " is " << width_of(line) << " columns (> " << width << "): " << line;
  }
}

std::vector<std::string> env_with(std::vector<std::string> extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string v = *e;
    if (v.rfind("COLUMNS=", 0) == 0 || v.rfind("NO_COLOR=", 0) == 0 || v.rfind("LANG=", 0) == 0 ||
        v.rfind("LC_ALL=", 0) == 0 || v.rfind("LC_MESSAGES=", 0) == 0)
      continue;
    env.push_back(v);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

RunResult gostep(std::vector<std::string> args, std::vector<std::string> env = {}, const std::string& in = "") {
  RunSpec s;
  s.argv = {GOSTEP_BINARY};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.env = env_with(std::move(env));
  s.stdin_data = in;
  s.timeout_seconds = 240;
  return run_program(s);
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

const char* const kMilestones[] = {"entry",  "rt0_go", "g0_stack", "settls_return", "tls_checked", "g0_in_tls",
                                   "m0_g0",  "g0_m",   "schedinit_return", "newproc_return", "mstart", "schedule",
                                   "execute", "gogo",  "runtime_main", "main_main"};

// ---- the tour

TEST(Tour, AutoShowsEveryMilestoneInOrderAndFitsTheWidth) {
  for (const char* lang : {"en", "zh"}) {
    for (std::size_t width : {80u, 100u}) {
      const RunResult r = gostep({"tour", "--auto", "--lang", lang, "--color", "always"},
                                 {"COLUMNS=" + std::to_string(width)});
      ASSERT_EQ(r.status, 0) << r.err;
      std::size_t at = 0;
      for (const char* m : kMilestones) {
        const std::size_t h = r.out.find(std::string("== milestone:") + m + " (");
        ASSERT_NE(h, std::string::npos) << lang << ": no page for " << m;
        EXPECT_GT(h + 1, at) << m << " out of order";
        at = h;
      }
      expect_fits(r.out, width, std::string("tour --lang ") + lang);
      EXPECT_NE(r.out.find("\x1b["), std::string::npos) << "--color always paints";
    }
  }
}

TEST(Tour, FromToAndBadNames) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult r = gostep({"tour", "./hello", "--auto", "--lang", "en", "--from", "settls_return", "--to", "g0_m"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(r.out, "== milestone:"), 5u) << r.out;
  EXPECT_NE(r.out.find("== milestone:settls_return (1/5) =="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== milestone:g0_m (5/5) =="), std::string::npos);
  EXPECT_NE(r.out.find("Changed since milestone:g0_stack"), std::string::npos) << "the one before --from";
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour into a pipe";

  const RunResult bad = gostep({"tour", "./hello", "--auto", "--from", "nowhere"});
  EXPECT_EQ(bad.status, 125);
  EXPECT_NE(bad.err.find("--from nowhere: not a milestone"), std::string::npos) << bad.err;
  const RunResult order = gostep({"tour", "./hello", "--auto", "--from", "gogo", "--to", "entry"});
  EXPECT_EQ(order.status, 125);
  EXPECT_NE(order.err.find("comes after"), std::string::npos) << order.err;
}

TEST(Tour, StrippedProgramSaysWhatItLacks) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult r = gostep({"tour", "./hello-stripped", "--auto", "--lang", "en"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("This program lacks milestone:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("No runtime state"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== milestone:entry (1/"), std::string::npos) << r.out;
}

// Runs gostep on a pseudo-terminal and answers its prompts: each step waits until
// the output contains `wait_for` (counted from the last step), then types `keys`.
struct Step {
  std::string wait_for;
  std::string keys;
};

std::string on_terminal(std::vector<std::string> args, const std::vector<Step>& steps, std::string& failure,
                        bool no_color = true) {
  int master = -1;
  winsize ws{};
  ws.ws_col = 100;
  ws.ws_row = 50;
  const pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
  if (pid == 0) {
    std::vector<std::string> env = env_with({"TERM=xterm"});
    if (no_color) env.push_back("NO_COLOR=1");
    std::vector<char*> argv, envp;
    args.insert(args.begin(), GOSTEP_BINARY);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(GOSTEP_BINARY, argv.data(), envp.data());
    _exit(127);
  }
  std::string out;
  std::size_t from = 0;
  auto read_until = [&](const std::string& what, int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (out.find(what, from) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) return out.find(what, from) != std::string::npos;
      out.append(buf, static_cast<std::size_t>(n));
    }
    from = out.find(what, from) + what.size();
    return true;
  };
  for (const auto& s : steps) {
    if (!read_until(s.wait_for, 120)) {
      failure = "never saw \"" + s.wait_for + "\"";
      break;
    }
    if (!s.keys.empty() && ::write(master, s.keys.data(), s.keys.size()) < 0) break;
  }
  read_until("\x04never", 5);  // drain what is left
  ::close(master);
  int st = 0;
  ::waitpid(pid, &st, 0);
  return out;
}

TEST(Tour, KeysOnATerminal) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  std::string failure;
  const std::string keys = "[Enter/n] next";
  const std::string out = on_terminal(
      {"tour", "./hello", "--lang", "en"},
      {{"== milestone:entry (1/16)", ""},
       {keys, "n"},
       {"== milestone:rt0_go (2/16)", ""},
       {keys, "\r"},  // Enter
       {"== milestone:g0_stack (3/16)", ""},
       {keys, "b"},
       {"== milestone:rt0_go (2/16)", ""},
       {keys, "s"},  // one instruction, with its effects
       {"rax", ""},
       {keys, "n"},
       {"== milestone:g0_stack (3/16)", ""},
       {keys, "d"},
       {"(gostep) ", "info g0\n"},
       {"stackguard0", ""},
       {"(gostep) ", "until milestone:m0_g0\n"},
       {"(gostep) ", "tour\n"},
       {"Back to the tour at milestone:m0_g0.", ""},
       {"== milestone:m0_g0 (7/16)", ""},
       {keys, "q"}},
      failure);
  EXPECT_EQ(failure, "") << out;
}

// ---- the prompt's reports and views fit the width

TEST(Widths, PromptStopReportsAndInfoViewsFit) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const std::vector<std::string> views = {"info registers", "info g0", "info m0", "info tls", "info g", "info m",
                                          "info p", "info sched", "info goroutines", "info threads", "info frame",
                                          "info breakpoints", "info proc mappings", "milestones", "bt", "graph"};
  std::vector<std::string> args = {"debug", "./hello", "--batch", "--color", "always"};
  auto ex = [&](const std::string& c) {
    args.push_back("-ex");
    args.push_back(c);
  };
  auto views_here = [&] {
    for (const auto& v : views) ex(v);
  };
  // At the entry `info g` has no g to show (an honest error, which --batch counts).
  for (const auto& v : views)
    if (v != "info g") ex(v);
  ex("watch g0.stack.lo");
  ex("continue");
  ex("delete");
  ex("break runtime.settls");
  ex("continue");
  ex("stepi 6");
  ex("catch syscall arch_prctl");
  ex("continue");
  ex("delete");
  ex("until milestone:g0_in_tls");
  views_here();
  ex("until milestone:newproc_return");
  views_here();
  ex("watch allp[0].runnext");
  ex("until milestone:gogo");
  ex("stepi 9");
  ex("nexti 3");
  views_here();
  ex("delete");
  ex("until milestone:main_main");
  views_here();
  ex("finish");
  ex("continue");
  for (std::size_t width : {80u, 100u}) {
    const RunResult r = gostep(args, {"COLUMNS=" + std::to_string(width)});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("Watchpoint 1: g0.stack.lo"), std::string::npos);
    EXPECT_NE(r.out.find("start-up path:"), std::string::npos) << "graph at the prompt";
    expect_fits(r.out, width, "debug at " + std::to_string(width));
    expect_fits(r.err, width, "debug's errors at " + std::to_string(width));
  }
  // set width, as in gdb.
  const RunResult r = gostep({"debug", "./hello", "--batch", "-ex", "set width 60", "-ex", "until milestone:g0_m",
                              "-ex", "info tls", "-ex", "info g0", "-ex", "stepi", "-ex", "milestones"});
  ASSERT_EQ(r.status, 0) << r.err;
  // The banner is printed before `set width` runs: it fits the terminal (here 100), the rest 60.
  const std::size_t after_banner = r.out.find("landmarks.\n");
  ASSERT_NE(after_banner, std::string::npos) << r.out;
  expect_fits(r.out.substr(after_banner + 11), 60, "set width 60");
  EXPECT_EQ(gostep({"debug", "./hello", "--batch", "-ex", "set width 5"}).status, 1);
}

TEST(Widths, TheTlsViewExplainsR14InAssembly) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult r = gostep({"debug", "./hello", "--batch", "-ex", "until milestone:g0_m", "-ex", "info tls",
                              "-ex", "until milestone:runtime_main", "-ex", "info tls"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("DISAGREE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("R14 is not the g register in assembly code"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(agree)"), std::string::npos) << "in runtime.main R14 and %fs:-8 agree";
}

// ---- colour

TEST(Colour, AutoAlwaysNeverAndNoColor) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const std::vector<std::string> dump = {"dump", "./hello", "--at", "milestone:g0_stack", "--at", "milestone:settls_return"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> a = dump;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  EXPECT_EQ(gostep(dump).out.find('\x1b'), std::string::npos) << "auto into a pipe: no colour";
  const RunResult always = gostep(with({"--color", "always"}));
  // Only what changed since the previous stop is painted: the fs_base settls set.
  EXPECT_NE(always.out.find("fs_base \x1b[1;32m0x"), std::string::npos) << always.out;
  EXPECT_EQ(gostep(with({"--color", "never"})).out.find('\x1b'), std::string::npos);
  EXPECT_NE(gostep(with({"--color", "always"}), {"NO_COLOR=1"}).out.find('\x1b'), std::string::npos)
      << "the command line wins over NO_COLOR (no-color.org)";
  // On a terminal, auto paints (the second stepi's new rdi) unless NO_COLOR is set.
  const std::vector<std::string> two_steps = {"debug", "./hello", "-ex", "stepi", "-ex", "stepi", "-ex", "quit"};
  std::string failure;
  std::string out = on_terminal(two_steps, {{"rdi", ""}, {"insn 3", ""}}, failure);
  EXPECT_EQ(failure, "");
  EXPECT_EQ(out.find("\x1b[1;32m"), std::string::npos) << "NO_COLOR on a terminal: " << out;
  out = on_terminal(two_steps, {{"rdi", ""}, {"insn 3", ""}}, failure, false);
  EXPECT_EQ(failure, "");
  EXPECT_NE(out.find("\x1b[1;32m0x1\x1b[0m"), std::string::npos) << "auto on a terminal paints: " << out;
}

// ---- gostep graph

TEST(Graph, TextDotAndEveryMilestoneForSlides) {
  ASSERT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  const RunResult text = gostep({"graph", "./hello", "--at", "milestone:newproc_return"});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("runnext -> g1"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("[newproc_return]"), std::string::npos) << text.out;
  expect_fits(text.out, 80, "graph text");

  const std::string dir = ::testing::TempDir() + "gostep_graph_slides";
  std::filesystem::remove_all(dir);
  const RunResult all = gostep({"graph", "./hello", "--all-milestones", "-o", dir});
  ASSERT_EQ(all.status, 0) << all.err;
  int n = 0;
  for (const char* m : kMilestones) {
    ++n;
    const std::string file = dir + "/" + (n < 10 ? "0" : "") + std::to_string(n) + "-" + m + ".svg";
    std::ifstream f(file);
    ASSERT_TRUE(f) << file;
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_NE(ss.str().find("<svg"), std::string::npos) << file;
    EXPECT_NE(ss.str().find(std::string("milestone:") + m), std::string::npos) << file;
  }
  const RunResult dot = gostep({"graph", "./hello", "--at", "runtime.settls", "--format", "dot", "-o", dir + "/x.dot"});
  ASSERT_EQ(dot.status, 0) << dot.err;
  EXPECT_TRUE(std::filesystem::file_size(dir + "/x.dot") > 100);

  EXPECT_EQ(gostep({"graph", "./hello"}).status, 125);
  EXPECT_EQ(gostep({"graph", "./hello", "--at", "nosuchplace"}).status, 125);
  EXPECT_EQ(gostep({"graph", "./hello", "--all-milestones"}).status, 125);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gostep::test
