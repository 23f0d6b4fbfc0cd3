// The tour's texts. Facts are Go 1.19's (asm_amd64.s, proc.go, runtime2.go) as
// ../shared/docs/go1.19-bootstrap-facts.md records them. Each milestone is a stop
// *before* its instruction: the explanations say what has just happened, and for
// the function entries what is about to.
#include "texts.h"

#include <cstdlib>
#include <map>

namespace gostep::tour {
namespace {

struct Entry {
  std::string_view name;
  Explanation en, zh;
};

const Entry kEntries[] = {
    {"entry",
     {"The ELF entry point",
      "Linux has mapped the program and jumped to the entry address written in its ELF header, "
      "_rt0_amd64_linux. Nothing of Go's runtime exists yet: there is no g, no m and no TLS (fs_base is "
      "0). SP points at argc, followed by the argv and environment pointers and the auxiliary vector "
      "that the kernel laid out. This first function only jumps to _rt0_amd64, which loads argc into DI "
      "and argv into SI and jumps on to runtime.rt0_go."},
     {"ELF 入口点",
      "Linux 已经把程序映射进内存，并跳到 ELF 头里记录的入口地址 _rt0_amd64_linux。此时 Go "
      "运行时的一切都还不存在：没有 g，没有 m，也没有 TLS（fs_base 为 0）。SP 指向 argc，"
      "其后是内核准备好的 argv 指针、环境变量指针和辅助向量（auxv）。这个函数只做一件事：跳到 "
      "_rt0_amd64；后者把 argc 放进 DI、argv 放进 SI，再跳到 runtime.rt0_go。"}},
    {"rt0_go",
     {"runtime.rt0_go: the bootstrap proper",
      "rt0_go is hand-written assembly in asm_amd64.s, marked TOPFRAME so that stack walks end here. "
      "It copies argc and argv into AX and BX, makes room on the stack, rounds SP down to 16 bytes and "
      "keeps argc and argv there for later. Everything until the call to mstart happens inside this one "
      "function."},
     {"runtime.rt0_go：真正的启动过程",
      "rt0_go 是 asm_amd64.s 里手写的汇编函数，带有 TOPFRAME 标记，栈回溯到这里就停止。"
      "它先把 argc 和 argv 复制到 AX 和 BX，在栈上留出空间，把 SP 向下对齐到 16 字节，"
      "并把 argc 和 argv 存在那里备用。直到调用 mstart 为止，后面的一切都发生在这一个函数里。"}},
    {"g0_stack",
     {"g0 gets a stack",
      "runtime.g0 is a global g in .bss: on this thread it will be the goroutine that runs the "
      "scheduler. rt0_go hands it a piece of the stack the kernel gave the process: stack.hi is the "
      "current SP and stack.lo lies 64 KiB minus 104 bytes below it. stackguard0 and stackguard1 start at "
      "stack.lo as well; function prologues compare SP with stackguard0 to know when a stack must grow. "
      "No memory was allocated for this: g0 only claims part of the existing stack."},
     {"g0 有了自己的栈",
      "runtime.g0 是位于 .bss 段的全局 g，它将是这个线程上运行调度器的 goroutine。"
      "rt0_go 从内核给进程的栈里划出一段交给它：stack.hi 是当前的 SP，stack.lo 比它低 "
      "64 KiB 减 104 字节。stackguard0 和 stackguard1 也先设为 stack.lo；函数序言会拿 SP 和 "
      "stackguard0 比较，以判断栈是否需要增长。这里没有分配任何内存，g0 只是占用了已有栈的一部分。"}},
    {"settls_return",
     {"FS now points into m0.tls",
      "runtime.settls made one system call: arch_prctl(ARCH_SET_FS, &m0.tls[1]). The FS base of this "
      "thread now holds the address of m0.tls plus 8: under ELF's TLS convention a thread's variables "
      "lie just below its FS base, and Go's one such variable, the g, is at -8(FS). Go's assembler "
      "writes g(BX) for that word, %fs:-8, which is m0.tls[0]: this is where "
      "the thread will keep its current g. Every thread has its own FS base, so every thread has its "
      "own slot."},
     {"FS 现在指向 m0.tls",
      "runtime.settls 做了一次系统调用：arch_prctl(ARCH_SET_FS, &m0.tls[1])。此后这个线程的 FS "
      "基址就是 m0.tls 的地址加 8：按照 ELF 的 TLS 约定，线程的变量位于 FS 基址的下方，"
      "而 Go 唯一的这种变量 g 就在 -8(FS)。Go 汇编里的 g(BX) 指的就是这个字，即 %fs:-8，也就是 m0.tls[0]：线程将把自己当前的 g 保存在这里。"
      "每个线程都有自己的 FS 基址，所以每个线程都有自己的这个槽位。"}},
    {"tls_checked",
     {"TLS works",
      "rt0_go wrote the test value 0x123 through %fs:-8 and then read m0.tls[0] straight from memory. "
      "Both name the same word, so the compare succeeded and the jump went past the call to "
      "runtime.abort. Had the kernel refused the FS base, the program would have stopped here instead "
      "of running on with a broken g slot."},
     {"TLS 可以用了",
      "rt0_go 通过 %fs:-8 写入测试值 0x123，再直接从内存读取 m0.tls[0]。两者是同一个字，"
      "所以比较成功，跳转越过了对 runtime.abort 的调用。如果内核没有接受这个 FS 基址，"
      "程序会停在这里，而不是带着一个坏掉的 g 槽位继续运行。"}},
    {"g0_in_tls",
     {"g0 is the current g",
      "MOVQ CX, g(BX) has written the address of runtime.g0 into %fs:-8, over the test value. From now "
      "on getg() on this thread answers g0. R14 does not hold g yet, and that is expected: rt0_go is "
      "assembly (ABI0), and only Go functions compiled for the register ABI keep g in R14; the wrappers "
      "that enter Go code load it from %fs:-8 first."},
     {"g0 成为当前的 g",
      "MOVQ CX, g(BX) 把 runtime.g0 的地址写进了 %fs:-8，覆盖了刚才的测试值。从现在起，"
      "这个线程上的 getg() 返回的就是 g0。R14 里还不是 g，这是正常的：rt0_go 是汇编（ABI0），"
      "只有按寄存器 ABI 编译的 Go 函数才把 g 放在 R14；进入 Go 代码的包装函数会先从 %fs:-8 "
      "把它读进 R14。"}},
    {"m0_g0",
     {"m0 knows its g0",
      "runtime.m0 is another global: the M of the main thread (an M is an operating-system thread as "
      "the scheduler sees it). The store m0.g0 = &g0 tells m0 which goroutine runs the scheduler on its "
      "thread: whenever this thread has to schedule, it switches to g0 and g0's stack."},
     {"m0 知道了自己的 g0",
      "runtime.m0 也是一个全局变量，是主线程的 M（M 就是调度器眼中的一个操作系统线程）。"
      "m0.g0 = &g0 这次写入告诉 m0，在它的线程上由哪个 goroutine 运行调度器："
      "每当这个线程需要调度时，它就切换到 g0 和 g0 的栈上。"}},
    {"g0_m",
     {"g0 and m0 point at each other",
      "g0.m = &m0 completes the pair: from the current g, read from TLS, the runtime reaches its M, and "
      "from the M it reaches g0 again. This is the chapter's picture: TLS -> g0, g0 <-> m0. Next rt0_go "
      "calls check, args and osinit: the runtime checks its type sizes, records argc, argv and the "
      "auxiliary vector, and reads the number of CPUs with sched_getaffinity."},
     {"g0 和 m0 互相指向对方",
      "g0.m = &m0 让这一对关系完整了：运行时从 TLS 里的当前 g 可以找到它的 M，"
      "又能从 M 找回 g0。这正是章节中的那张图：TLS -> g0，g0 <-> m0。接下来 rt0_go 依次调用 "
      "check、args 和 osinit：检查各种类型的大小，记下 argc、argv 和辅助向量，"
      "并用 sched_getaffinity 得到 CPU 的数量。"}},
    {"schedinit_return",
     {"The scheduler exists",
      "schedinit did much of the runtime's setting up: the memory allocator (mallocinit), m0's entry in "
      "allm (mcommoninit), the environment, and procresize, which made GOMAXPROCS Ps, one per CPU the "
      "program may use. allp holds them now: m0 has taken allp[0] and runs with it (_Prunning), and the "
      "other Ps wait in sched.pidle. There is still no goroutine but g0."},
     {"调度器建立起来了",
      "schedinit 完成了运行时的大部分初始化：内存分配器（mallocinit）、把 m0 加入 allm"
      "（mcommoninit）、环境变量，以及 procresize。procresize 创建了 GOMAXPROCS 个 P，"
      "程序可用的每个 CPU 一个。现在它们都在 allp 里：m0 拿走了 allp[0] 并带着它运行"
      "（_Prunning），其余的 P 在 sched.pidle 里空闲等待。除了 g0 之外，还没有任何 goroutine。"}},
    {"newproc_return",
     {"The main goroutine is waiting",
      "rt0_go pushed runtime.mainPC, a function value for runtime.main, and called newproc. On g0's "
      "stack, newproc1 made a new g with a 2 KiB stack, gave it goid 1, set its saved context so that it "
      "starts in runtime.main with goexit as its return address, and marked it _Grunnable. runqput put "
      "it in allp[0].runnext, the slot that runs next. Nothing runs it yet: a goroutine runs only when "
      "a scheduler picks it."},
     {"main goroutine 在等待运行",
      "rt0_go 把 runtime.mainPC（指向 runtime.main 的函数值）压栈，然后调用 newproc。"
      "在 g0 的栈上，newproc1 创建了一个带 2 KiB 栈的新 g，给它 goid 1，"
      "并设置好它保存的上下文：从 runtime.main 开始执行，返回地址是 goexit；然后把它标记为 "
      "_Grunnable。runqput 把它放进 allp[0].runnext，也就是下一个要运行的位置。"
      "此时还没有谁运行它：只有调度器选中一个 goroutine，它才会运行。"}},
    {"mstart",
     {"m0 starts scheduling",
      "rt0_go calls mstart and never gets control back. mstart calls mstart0, which sets g0's stack "
      "guards; mstart1 then saves g0's own context in g0.sched (later switches back to g0 land there), "
      "runs minit (the thread id goes into m.procid, the signal stack is installed), installs the "
      "signal handlers because this is m0, and calls schedule."},
     {"m0 开始调度",
      "rt0_go 调用 mstart，之后再也不会回到 rt0_go。mstart 调用 mstart0，"
      "它设置 g0 的栈保护值；接着 mstart1 把 g0 自己的上下文保存到 g0.sched"
      "（以后切换回 g0 时就回到这里），执行 minit（把线程 id 写进 m.procid，装好信号栈），"
      "因为这是 m0，还要安装信号处理函数，最后调用 schedule。"}},
    {"schedule",
     {"Looking for work",
      "schedule runs on g0 and is about to look for a goroutine to run. findRunnable tries this P's "
      "runnext first, then its local run queue, then the global run queue, and only then the network "
      "poller and the other Ps' queues. This time runnext holds the main goroutine, so it is found at "
      "once."},
     {"寻找可以运行的 goroutine",
      "schedule 运行在 g0 上，马上要寻找一个可以运行的 goroutine。findRunnable 先看这个 P 的 "
      "runnext，再看它的本地运行队列，然后是全局运行队列，最后才去网络轮询器和其他 P 的队列里找。"
      "这一次 runnext 里就是 main goroutine，所以立刻就找到了。"}},
    {"execute",
     {"The main goroutine is chosen",
      "execute(gp, inheritTime) is about to tie the goroutine to this M: m.curg = gp and gp.m = m, its "
      "status goes from _Grunnable to _Grunning, and its stack guard is set. It came from runnext, so "
      "it inherits the current time slice and schedtick does not move. Then execute hands gp.sched to "
      "gogo."},
     {"main goroutine 被选中",
      "execute(gp, inheritTime) 马上要把这个 goroutine 和当前的 M 绑定：m.curg = gp，gp.m = m，"
      "状态从 _Grunnable 变成 _Grunning，并设置它的栈保护值。它来自 runnext，"
      "所以沿用当前的时间片，schedtick 不增加。随后 execute 把 gp.sched 交给 gogo。"}},
    {"gogo",
     {"Switching stacks",
      "gogo is the assembly that leaves g0. It will write the goroutine's address into %fs:-8 and into "
      "R14, load SP, BP and the other saved registers from gp.sched, clear the fields it used, and jump "
      "to sched.pc. With that jump the thread stops running the scheduler on g0's stack and starts "
      "running goroutine 1 on its own small stack."},
     {"切换栈",
      "gogo 是离开 g0 的那段汇编。它将把这个 goroutine 的地址写进 %fs:-8 和 R14，"
      "从 gp.sched 恢复 SP、BP 和其他保存的寄存器，清掉用过的字段，然后跳到 sched.pc。"
      "这一跳之后，线程就不再在 g0 的栈上运行调度器，而是在 goroutine 1 自己的小栈上运行它。"}},
    {"runtime_main",
     {"Goroutine 1 runs runtime.main",
      "We are on goroutine 1 now: %fs:-8 and R14 both name it, m0.curg is it, and it is _Grunning. "
      "Returning from runtime.main would land in goexit, the return address newproc planted. "
      "runtime.main sets mainStarted, starts sysmon on a new M (a new thread, made with clone), runs "
      "the runtime's own init functions, starts the garbage collector's background goroutines "
      "(gcenable), runs the packages' init functions, and then calls main.main."},
     {"goroutine 1 运行 runtime.main",
      "现在我们已经在 goroutine 1 上了：%fs:-8 和 R14 都指向它，m0.curg 就是它，"
      "它的状态是 _Grunning。如果从 runtime.main 返回，会落到 goexit，这是 newproc "
      "预先放好的返回地址。runtime.main 会设置 mainStarted，在一个新的 M 上启动 sysmon"
      "（用 clone 创建的新线程），运行运行时自己的 init 函数，启动垃圾回收的后台 "
      "goroutine（gcenable），再运行各个包的 init 函数，然后调用 main.main。"}},
    {"main_main",
     {"Your program begins",
      "main.main is the code the programmer wrote. By now the runtime runs several threads and has "
      "background goroutines for the garbage collector and for finalizers besides goroutine 1. When "
      "main.main returns, runtime.main calls exit(0), an exit_group system call, and every thread ends "
      "at once; goroutines still running are not waited for."},
     {"你的程序开始了",
      "main.main 是程序员自己写的代码。到这里，运行时已经有好几个线程，除了 goroutine 1 "
      "之外，还有垃圾回收和终结器的后台 goroutine。main.main 返回后，runtime.main 调用 exit(0)，"
      "也就是 exit_group 系统调用，所有线程立刻结束；还在运行的 goroutine 不会被等待。"}},
};

struct LabelText {
  Label label;
  std::string_view en, zh;
};

const LabelText kLabels[] = {
    {Label::intro, "{prog}: {n} milestones, from the ELF entry point to main.main.",
     "{prog}：从 ELF 入口点到 main.main，共 {n} 个里程碑。"},
    {Label::intro_mini,
     "{prog}: the bootstrap in miniature, {n} milestones from its entry to milestone:done.",
     "{prog}：启动过程的小型示例，从入口到 milestone:done，共 {n} 个里程碑。"},
    {Label::lacks, "This program lacks milestone:{name} ({why}).", "此程序没有 milestone:{name}（{why}）。"},
    {Label::version, "Careful: ", "注意："},
    {Label::source, "Source:", "源代码："},
    {Label::no_source, "(no source line for this address)", "（这个地址没有对应的源代码行）"},
    {Label::source_missing, "(cannot read {path})", "（无法读取 {path}）"},
    {Label::disassembly, "Disassembly:", "反汇编："},
    {Label::changed_since, "Changed since milestone:{prev}:", "自 milestone:{prev} 以来的变化："},
    {Label::first, "(the first milestone: nothing to compare with)", "（第一个里程碑：没有可比较的）"},
    {Label::nothing_changed, "(no runtime field changed)", "（运行时字段没有变化）"},
    {Label::and_more, "and {n} more", "还有 {n} 项"},
    {Label::picture, "Picture:", "图示："},
    {Label::no_state, "No runtime state: {why}", "没有运行时状态：{why}"},
    {Label::keys, "[Enter/n] next  [b] back  [s] step one instruction  [d] debug prompt  [q] quit",
     "[回车/n] 下一个  [b] 上一个  [s] 单步执行一条指令  [d] 调试提示符  [q] 退出"},
    {Label::step_note, "(past milestone:{m}: n goes on to the next milestone, b back to this one)",
     "（已越过 milestone:{m}：n 前往下一个里程碑，b 回到这一个）"},
    {Label::prompt_enter, "The debug prompt, at this point. \"tour\" comes back to the tour, \"quit\" leaves.",
     "进入调试提示符，停在当前位置。输入 \"tour\" 回到导览，输入 \"quit\" 退出。"},
    {Label::back_at, "Back to the tour at milestone:{m}.", "回到导览：milestone:{m}。"},
    {Label::none_after, "No milestone comes after instruction {n}: the tour has nothing more to show.",
     "指令 {n} 之后没有里程碑了：导览没有更多内容。"},
    {Label::at_start, "(this is the first milestone of the tour)", "（这是导览的第一个里程碑）"},
    {Label::the_end, "End of the tour.", "导览结束。"},
    {Label::pic_path, "start-up path:", "启动路径："},
    {Label::pic_missing, "(? = not found in this binary)", "（? 表示此程序中找不到）"},
    {Label::pic_idle, "(idle)", "（空闲）"},
    {Label::pic_current, "(current g: TLS names it)", "（当前的 g：TLS 指向它）"},
    {Label::pic_changed, "(* new or changed since the last picture)", "（* 表示与上一张图相比新出现或改变了）"},
    {Label::pic_no_goroutines, "(no goroutines yet: newproc makes the main goroutine)",
     "（还没有 goroutine：main goroutine 由 newproc 创建）"},
    {Label::pic_no_ps, "(no Ps yet: schedinit makes them in procresize)", "（还没有 P：schedinit 在 procresize 中创建它们）"},
};

std::string_view env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string_view(v) : std::string_view();
}

}  // namespace

Lang lang_from_env() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const std::string_view v = env(var);
    if (v.empty()) continue;
    return v.substr(0, 2) == "zh" ? Lang::zh : Lang::en;
  }
  return Lang::en;
}

bool parse_lang(std::string_view s, Lang& out) {
  if (s == "en") out = Lang::en;
  else if (s == "zh") out = Lang::zh;
  else return false;
  return true;
}

const Explanation* explanation(std::string_view milestone, Lang lang) {
  for (const auto& e : kEntries)
    if (e.name == milestone) return lang == Lang::zh ? &e.zh : &e.en;
  return nullptr;
}

std::vector<std::string_view> explained_milestones(Lang lang) {
  std::vector<std::string_view> out;
  for (const auto& e : kEntries) {
    const Explanation& x = lang == Lang::zh ? e.zh : e.en;
    if (!x.title.empty() && !x.body.empty()) out.push_back(e.name);
  }
  return out;
}

std::string_view label(Label l, Lang lang) {
  for (const auto& t : kLabels)
    if (t.label == l) return lang == Lang::zh ? t.zh : t.en;
  return "";
}

}  // namespace gostep::tour
