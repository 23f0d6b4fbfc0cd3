// `gostep debug`'s data commands as a user types them: print (with $N history
// and --json), x/FMT, display/undisplay/info display, disassemble, list. Run
// from the Go programs' folder as `gostep debug ./hello` so addresses are stable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

// gostep debug ./hello --batch [--json] -ex CMD... from GOSTEP_GO_DIR.
RunResult debug(const std::vector<std::string>& commands, bool json = false) {
  std::vector<std::string> args = {"debug", "./hello", "--batch"};
  if (json) args.push_back("--json");
  for (const auto& c : commands) {
    args.push_back("-ex");
    args.push_back(c);
  }
  char old[PATH_MAX] = {};
  if (!::getcwd(old, sizeof old)) throw std::runtime_error("getcwd failed");
  if (::chdir(GOSTEP_GO_DIR) != 0) throw std::runtime_error("chdir " + std::string(GOSTEP_GO_DIR));
  RunResult r = run_gostep(args);
  if (::chdir(old) != 0) throw std::runtime_error("chdir back failed");
  return r;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text))
    if (l == line) return true;
  return false;
}

// Columns on a terminal: UTF-8 continuation bytes take none.
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void expect_fits_100_columns(const std::string& text) {
  for (const auto& l : lines_of(text)) EXPECT_LE(columns(l), 100u) << l;
}

// Stopped at runtime.settls+14 (ADDQ $8, DI): rdi = &m0.tls[0], before arch_prctl.
const std::vector<std::string> kAtSettls = {"set show-effects off", "break runtime.settls", "continue", "stepi 3"};

std::vector<std::string> at_settls(std::vector<std::string> more) {
  std::vector<std::string> c = kAtSettls;
  c.insert(c.end(), more.begin(), more.end());
  c.push_back("echo still here\\n");  // the prompt survived every command before
  return c;
}

#define EXPECT_LINE(text, line) EXPECT_TRUE(has_line(text, line)) << "no line \"" << (line) << "\" in:\n" << (text)
#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "no \"" << (part) << "\" in:\n" << (text)

bool runtime_sources_installed() { return ::access("/usr/lib/go-1.19/src/runtime/proc.go", R_OK) == 0; }

// ---- print ----

TEST(DebugData, PrintRegistersRuntimePathsFormatsAndHistory) {
  const RunResult r = debug(at_settls({"print $sp", "p/x $rdi", "p $pc", "p g0.stack", "p/d g0.stack.lo", "p/t 10",
                                       "p/c 65", "p/o 8", "p $1", "p/x $1 + 8", "p &m0", "p &m0.tls[1]", "p m0.tls",
                                       "p runtime.buildVersion", "p", "p/x *$sp@2"}));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_LINE(r.out, "$1 = 0x7fffffffedd0");
  EXPECT_LINE(r.out, "$2 = 0x528b48 <runtime.m0.tls[0]>");
  EXPECT_LINE(r.out, "$3 = 0x45edce <runtime.settls.abi0+14>");
  EXPECT_LINE(r.out, "$4 = {lo: 0x7ffffffeee68, hi: 0x7fffffffee00}");  // Go-style, as Delve prints
  EXPECT_LINE(r.out, "$5 = 140737488285288");
  EXPECT_LINE(r.out, "$6 = 1010");
  EXPECT_LINE(r.out, "$7 = 65 'A'");
  EXPECT_LINE(r.out, "$8 = 010");
  EXPECT_LINE(r.out, "$9 = 0x7fffffffedd0");  // $1 again, as it was printed
  EXPECT_LINE(r.out, "$10 = 0x7fffffffedd8");
  EXPECT_LINE(r.out, "$11 = (*runtime.m) 0x528ac0 <runtime.m0>");
  EXPECT_LINE(r.out, "$12 = (*uintptr) 0x528b50 <runtime.m0.tls[1]>");
  EXPECT_LINE(r.out, "$13 = [0x0, 0x0, 0x0, 0x0, 0x0, 0x0]");
  EXPECT_HAS(r.out, "$14 = \"go1.19");
  EXPECT_HAS(r.out, "$15 = \"go1.19");  // bare print: the last value again
  EXPECT_LINE(r.out, "$16 = {0x0, 0x0}");
  EXPECT_LINE(r.out, "still here");
}

// Messages as gostep wrote them before fitting them to the width (100 columns
// here): a line that did not fit continues on lines indented by 4, joined back.
std::string unwrapped(std::string s) {
  for (std::size_t at = s.find("\n    "); at != std::string::npos; at = s.find("\n    ", at)) s.replace(at, 5, " ");
  return s;
}

TEST(DebugData, PrintErrorsAreOneLineAndSuggestCloseNames) {
  RunResult r = debug(at_settls({"p runtime.ncpux", "p ncpu", "p g0.stackguard", "p/q 1", "p/2x 1", "p/xg 1",
                                       "p *0", "p $9", "p $$5", "p (1", "p &1", "p 5"}));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  // The one message longer than 100 columns is wrapped (at a field boundary).
  EXPECT_NE(r.err.find("stackguard0,\n    stackguard1?"), std::string::npos) << r.err;
  r.err = unwrapped(r.err);
  EXPECT_LINE(r.err, "No symbol \"runtime.ncpux\" in the runtime model. Did you mean runtime.ncpu?");
  EXPECT_LINE(r.err, "No symbol \"ncpu\" in the runtime model. Did you mean runtime.ncpu?");
  EXPECT_LINE(r.err, "There is no member named stackguard in g0 (runtime.g). Did you mean: stack, stackguard0, "
                     "stackguard1?");
  EXPECT_LINE(r.err, "Undefined output format \"q\". Formats: x d u o t a c s z (print/x $rax)");
  EXPECT_LINE(r.err, "Item count other than 1 is meaningless in \"print\" command.");
  EXPECT_LINE(r.err, "Size letters are meaningless in \"print\" command.");
  EXPECT_LINE(r.err, "Cannot access memory at address 0x0");
  EXPECT_LINE(r.err, "History has not yet reached $9.");
  EXPECT_LINE(r.err, "History is empty: print a value first.");
  EXPECT_LINE(r.err, "missing ')'");
  EXPECT_LINE(r.err, "Attempt to take address of value not located in memory.");
  EXPECT_EQ(lines_of(r.err).size(), 11u) << r.err;  // one message each
  // Failed prints take no history number.
  EXPECT_LINE(r.out, "$1 = 5");
}

TEST(DebugData, PrintJson) {
  const RunResult r = debug(at_settls({"p &m0", "p g0.stack", "p $sp", "p nosuch_thing"}), true);
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: "p nosuch_thing" failed
  std::vector<nlohmann::json> prints;
  for (const auto& l : lines_of(r.out)) {
    const auto j = nlohmann::json::parse(l);  // every line is one JSON object
    if (j.value("command", "").rfind("p ", 0) == 0) prints.push_back(j);
  }
  ASSERT_EQ(prints.size(), 4u) << r.out;
  EXPECT_EQ(prints[0]["ok"], true);
  EXPECT_EQ(prints[0]["history"], 1);
  EXPECT_EQ(prints[0]["value"]["value"], "0x528ac0");  // the typed value, as data
  EXPECT_EQ(prints[0]["value"]["kind"], "pointer");
  EXPECT_EQ(prints[0]["shown"], "0x528ac0");
  EXPECT_EQ(prints[0]["type"], "*runtime.m");
  EXPECT_EQ(prints[0]["symbol"], "runtime.m0");
  EXPECT_EQ(prints[0]["text"], "$1 = (*runtime.m) 0x528ac0 <runtime.m0>\n");
  EXPECT_EQ(prints[1]["shown"], "{lo: 0x7ffffffeee68, hi: 0x7fffffffee00}");
  EXPECT_EQ(prints[1]["value"]["kind"], "struct");
  EXPECT_EQ(prints[1]["value"]["fields"][0]["name"], "lo");
  EXPECT_EQ(prints[1]["type"], "runtime.stack");
  EXPECT_EQ(prints[1]["address"], "0x528760");  // g0.stack is g0's first field
  EXPECT_EQ(prints[2]["value"]["value"], "0x7fffffffedd0");
  EXPECT_TRUE(prints[2]["address"].is_null());  // a register lives in no memory
  EXPECT_EQ(prints[3]["ok"], false);
  EXPECT_NE(prints[3]["error"].get<std::string>().find("No symbol \"nosuch_thing\""), std::string::npos);
  EXPECT_FALSE(prints[3].contains("value"));
}

// ---- x ----

TEST(DebugData, ExamineFormatsUnitsAndSymbols) {
  const RunResult r = debug(at_settls({"x/2gx g0", "x", "x/4xb $pc", "x/2wd &g0.stack", "x/3i $pc", "x/2a &m0.tls",
                                       "x/2c runtime.buildVersion.str", "x/s runtime.buildVersion.str",
                                       "x/2gt &m0.tls", "set disassembly-flavor intel", "x/i $pc"}));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.err, "");
  EXPECT_LINE(r.out, "0x528760 <runtime.g0>: 0x00007ffffffeee68 0x00007fffffffee00");
  EXPECT_LINE(r.out, "0x528770 <runtime.g0.stackguard0>: 0x00007ffffffeee68");  // x goes on, as gx
  EXPECT_LINE(r.out, "0x45edce <runtime.settls.abi0+14>: 0x48 0x83 0xc7 0x08");
  EXPECT_LINE(r.out, "0x528760 <runtime.g0>: -70040      32767");
  EXPECT_LINE(r.out, "=> 0x45edce <runtime.settls.abi0+14>: addq   $8, %rdi");
  EXPECT_LINE(r.out, "   0x45edd2 <runtime.settls.abi0+18>: movq   %rdi, %rsi");
  EXPECT_LINE(r.out, "   0x45edd5 <runtime.settls.abi0+21>: movq   $0x1002, %rdi");
  EXPECT_LINE(r.out, "0x528b48 <runtime.m0.tls[0]>: 0x0");
  EXPECT_LINE(r.out, "0x528b50 <runtime.m0.tls[1]>: 0x0");
  EXPECT_LINE(r.out, "0x4b7a58 <runtime.buildVersion.str>: 103 'g'     111 'o'");
  EXPECT_HAS(r.out, "0x4b7a58 <runtime.buildVersion.str>: \"go1.19");
  EXPECT_LINE(r.out, "0x528b48 <runtime.m0.tls[0]>: " + std::string(64, '0'));
  EXPECT_LINE(r.out, "=> 0x45edce <runtime.settls.abi0+14>: add    rdi, 8");
  expect_fits_100_columns(r.out);
}

TEST(DebugData, ExamineErrors) {
  const RunResult r = debug({"x", "x/4q $sp", "x/2gx 0", "x/5000gx $sp", "x/4gx nosuch", "x/2i 0x10",
                             "x/2gx $sp", "echo still here\\n"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  EXPECT_LINE(r.err, "Argument required (starting display address): x/FMT ADDR, e.g. x/4gx $sp");
  EXPECT_LINE(r.err, "Undefined output format \"q\". Formats: x d u o t a c s i z; sizes: b h w g "
                     "(x/8gx, x/4bx, x/s, x/3i)");
  EXPECT_LINE(r.err, "Cannot access memory at address 0x0");
  EXPECT_LINE(r.err, "x shows at most 4096 units at a time, not 5000");
  EXPECT_HAS(r.err, "No symbol \"nosuch\" in the runtime model.");
  EXPECT_LINE(r.err, "Cannot access memory at address 0x10");
  // At the entry point the stack holds argc = 1 and argv[0].
  EXPECT_HAS(r.out, "0x7fffffffee30: 0x0000000000000001 0x00007fffffff");
  EXPECT_LINE(r.out, "still here");
}

// ---- display ----

TEST(DebugData, DisplayAfterEveryStop) {
  const RunResult r = debug({"set show-effects off", "display g0.stack.lo", "display/i $pc", "display allp[0].runnext",
                             "display/x $sp", "break runtime.settls", "continue", "undisplay 2", "info display",
                             "stepi", "until milestone:schedinit_return", "undisplay", "info display", "stepi"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.err, "");
  const std::string& o = r.out;
  // At once, before the program ran.
  EXPECT_LINE(o, "1: g0.stack.lo = 0x0");
  EXPECT_LINE(o, "2: x/i $pc");
  EXPECT_LINE(o, "=> 0x45e500 <_rt0_amd64_linux>: jmp    0x45aae0 <_rt0_amd64>");
  EXPECT_LINE(o, "3: allp[0].runnext = <not available: index 0 out of range: allp has 0 elements (schedinit has not");
  EXPECT_LINE(o, "    created the Ps yet)>");
  EXPECT_LINE(o, "4: /x $sp = 0x7fffffffee30");
  // At the breakpoint.
  EXPECT_LINE(o, "1: g0.stack.lo = 0x7ffffffeee68");
  EXPECT_LINE(o, "=> 0x45edc0 <runtime.settls.abi0>: subq   $0x28, %rsp");
  EXPECT_LINE(o, "4: /x $sp = 0x7fffffffedf8");
  // After undisplay 2, stepi shows 1, 3 and 4 only.
  EXPECT_LINE(o, "4: /x $sp = 0x7fffffffedd0");
  EXPECT_EQ(o.find("=> 0x45edc4"), std::string::npos) << o;
  EXPECT_LINE(o, "Auto-display expressions now in effect:");
  EXPECT_LINE(o, "1:   y  g0.stack.lo");
  EXPECT_LINE(o, "3:   y  allp[0].runnext");
  EXPECT_LINE(o, "4:   y  /x $sp");
  EXPECT_EQ(o.find("2:   y"), std::string::npos) << o;
  // Once schedinit made the Ps, the display has a value.
  EXPECT_LINE(o, "3: allp[0].runnext = nil");
  EXPECT_LINE(o, "There are no auto-display expressions now.");
  // The last stepi, after undisplay, shows none.
  const auto last = o.rfind("There are no auto-display expressions now.");
  EXPECT_EQ(o.find(": g0.stack.lo =", last), std::string::npos) << o;
  expect_fits_100_columns(o);
}

TEST(DebugData, DisplayErrors) {
  const RunResult r = debug({"display nosuch", "display/q 1", "display 1 +", "undisplay 9", "undisplay x", "display",
                             "echo still here\\n"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  EXPECT_HAS(r.err, "No symbol \"nosuch\" in the runtime model.");
  EXPECT_LINE(r.err, "Undefined output format \"q\". Formats: x d u o t a c s z (print/x $rax)");
  EXPECT_LINE(r.err, "missing expression");
  EXPECT_LINE(r.err, "No display number 9.");
  EXPECT_LINE(r.err, "Arguments must be display numbers, not \"x\".");
  EXPECT_LINE(r.out, "There are no auto-display expressions now.");  // nothing was added
  EXPECT_LINE(r.out, "still here");
}

TEST(DebugData, DisplayJson) {
  const RunResult r = debug({"display g0.stack.lo", "break runtime.settls", "continue"}, true);
  ASSERT_FALSE(r.timed_out);
  const auto ls = lines_of(r.out);
  ASSERT_EQ(ls.size(), 3u) << r.out;
  const auto added = nlohmann::json::parse(ls[0]);
  EXPECT_EQ(added["display"]["number"], 1);
  EXPECT_EQ(added["display"]["shown"], "0x0");
  EXPECT_EQ(added["display"]["value"]["type"], "uintptr");
  const auto stop = nlohmann::json::parse(ls[2]);
  ASSERT_TRUE(stop.contains("displays")) << ls[2];
  EXPECT_EQ(stop["displays"][0]["expr"], "g0.stack.lo");
  EXPECT_EQ(stop["displays"][0]["shown"], "0x7ffffffeee68");
}

// ---- disassemble ----

TEST(DebugData, DisassembleTheWholeFunctionWithSourceLines) {
  const RunResult r = debug(at_settls({"disassemble", "disas 0x45edc0,+8", "disas main.main",
                                       "disas runtime.schedinit"}));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.err, "");
  const std::string& o = r.out;
  EXPECT_LINE(o, "Dump of assembler code for function runtime.settls.abi0:");
  EXPECT_LINE(o, "   0x45edc0 <+0>:  subq   $0x28, %rsp");
  EXPECT_LINE(o, "=> 0x45edce <+14>: addq   $8, %rdi");
  EXPECT_LINE(o, "   0x45edeb <+43>: jbe    0x45edf8 <runtime.settls.abi0+56>");
  EXPECT_LINE(o, "   0x45ee01 <+65>: retq");
  EXPECT_LINE(o, "End of assembler dump.");
  if (runtime_sources_installed()) {
    EXPECT_LINE(o, "sys_linux_amd64.s:644  ADDQ $8, DI  // ELF wants to use -8(FS)");
    EXPECT_LINE(o, "sys_linux_amd64.s:649  SYSCALL");
  }
  // A range: the last instruction is whole although it runs past the end.
  EXPECT_LINE(o, "Dump of assembler code from 0x45edc0 to 0x45edc8:");
  EXPECT_LINE(o, "   0x45edc4 <runtime.settls.abi0+4>: movq   %rbp, 0x20(%rsp)");
  // main.main: its file is found through the module path although it was built with -trimpath.
  EXPECT_LINE(o, "Dump of assembler code for function main.main:");
  EXPECT_LINE(o, "main.go:7  fmt.Println(\"hello, world\")");
  EXPECT_HAS(o, "callq  0x");
  EXPECT_HAS(o, " <fmt.Fprintln>");
  EXPECT_LINE(o, "Dump of assembler code for function runtime.schedinit:");
  expect_fits_100_columns(o);
}

TEST(DebugData, DisassembleErrors) {
  const RunResult r = debug({"disas runtime.setls", "disas 0x10", "disas insn:5", "disas 0x45edc0,0x45edc0",
                             "disas/q", "echo still here\\n"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  EXPECT_LINE(r.err, "no symbol 'runtime.setls' (nor 'runtime.setls.abi0'); did you mean runtime.settls or "
                     "runtime.setg?");
  EXPECT_LINE(r.err, "No function contains the address 0x10; try \"x/10i 0x10\" or \"disassemble START,+LENGTH\".");
  EXPECT_LINE(r.err, "disassemble needs an address; insn:N is a moment, not a place");
  EXPECT_LINE(r.err, "disassemble START,END: END (0x45edc0) must be after START (0x45edc0)");
  EXPECT_HAS(r.err, "Invalid disassembly modifier \"/q\"");
  EXPECT_LINE(r.out, "still here");
}

// ---- list ----

TEST(DebugData, ListAroundThePcAndGoesOn) {
  if (!runtime_sources_installed()) GTEST_SKIP() << "golang-1.19-src is not installed";
  const RunResult r = debug(at_settls({"list", "list", "list -", "list proc.go:144", "list runtime.main"}));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.err, "");
  const auto ls = lines_of(r.out);
  // The first list: lines 639 to 648 of sys_linux_amd64.s, the pc's line 644 in the middle.
  const auto first = std::find(ls.begin(), ls.end(), "639     TEXT runtime·settls(SB),NOSPLIT,$32");
  ASSERT_NE(first, ls.end()) << r.out;
  ASSERT_GE(ls.end() - first, 20);
  EXPECT_EQ(first[5], "644         ADDQ    $8, DI  // ELF wants to use -8(FS)");
  EXPECT_EQ(first[9].substr(0, 8), "648     ");
  // The second goes on from 649; "list -" shows the ten before those.
  EXPECT_EQ(first[10], "649         SYSCALL");
  EXPECT_EQ(first[19].substr(0, 8), "658     ");
  EXPECT_EQ(first[20], "639     TEXT runtime·settls(SB),NOSPLIT,$32");
  EXPECT_LINE(r.out, "144     // The main goroutine.");
  EXPECT_LINE(r.out, "145     func main() {");
  expect_fits_100_columns(r.out);
}

TEST(DebugData, ListErrors) {
  const RunResult r = debug({"list main.main", "list main.go:7", "list runtime.mian", "list nosuch.go:3",
                             "list insn:3", "list 9999999", "echo still here\\n"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  // The fixtures are built with -trimpath: main.go is found through the module path (engine/sources.h).
  EXPECT_LINE(r.out, "7           fmt.Println(\"hello, world\")");
  EXPECT_EQ(r.err.find("main.go: not"), std::string::npos) << r.err;
  EXPECT_LINE(r.err, "Function \"runtime.mian\" not defined. Did you mean runtime.main or runtime.mmap?");
  EXPECT_LINE(r.err, "No source file named nosuch.go.");
  EXPECT_LINE(r.err, "list needs a place; insn:N is a moment, not a place");
  // The last file listed: main.go (the unknown function and file listed nothing).
  EXPECT_LINE(r.err, "Line number 9999994 out of range; \"gostep.example/fixtures/hello/main.go\" has 8 lines.");
  EXPECT_LINE(r.out, "still here");
}

// Odd input anywhere in these commands: an error at most, never the end of the prompt.
TEST(DebugData, NothingTypedEndsThePrompt) {
  const RunResult r = debug({"p", "p/", "x/", "x/s", "display/", "undisplay -1", "list :", "list :5", "disas ,",
                             "disas 1,", "p $$$", "p &", "p &&", "x/i 0xffffffffffffffff", "x/2gx 0xfffffffffffffff8",
                             "list *", "list *0", "p ((((", "x/0x $sp", "list 0", "list -", "list 99999999999",
                             "disas 0xffffffffffffffff,+20", "x/s $sp", "display/i", "p $$99", "p *$sp@0",
                             "p *$sp@5000", "p/s g0", "undisplay 99999999999", "x/3s 0x4b7a58", "p $99999999999999999999",
                             "echo still here\\n"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1);  // --batch: some command failed
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_LINE(r.out, "still here");
}

}  // namespace
}  // namespace gostep::test
