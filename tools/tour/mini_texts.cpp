// The tour's texts for the miniatures (asm_fixtures/mini). A miniature's
// milestone is its function main.milestone_NAME, and the tour stops at its first
// instruction: each text says what the step is about to do, and which
// milestone of the real program shows the same thing done. Names shared by two
// miniatures (entry, settls, done) mean the same step in both.
#include "texts.h"

namespace gostep::tour {
namespace {

struct MiniEntry {
  std::string_view name;
  Explanation en, zh;
};

const MiniEntry kMini[] = {
    {"entry",
     {"The miniature's entry point",
      "Linux has mapped the miniature and jumped to its entry, main.entry (linked with -E=main.entry, "
      "so no Go runtime code runs at all). The stack is exactly what the kernel hands any new process: "
      "argc at SP, then argv, the environment and the auxiliary vector. runtime.g0 and runtime.m0 exist "
      "as zeroed variables, kept by the linker with their DWARF, so gostep shows them as it does in the "
      "real program."},
     {"小型示例的入口点",
      "Linux 已经映射好这个小型示例，并跳到它的入口 main.entry（链接时用了 -E=main.entry，所以 Go "
      "运行时的代码一行也不会执行）。栈正是内核交给每个新进程的样子：SP 处是 argc，其后是 argv、"
      "环境变量和辅助向量。runtime.g0 和 runtime.m0 作为全零的变量存在，链接器连同它们的 DWARF "
      "一起保留了下来，所以 gostep 能像在真实程序里一样显示它们。"}},
    // rt0
    {"kernel_stack",
     {"Reading the kernel's stack",
      "The kernel left argc at 0(SP) and argv[0] right above it. The miniature picks them up into AX "
      "and BX, as rt0_go does with the DI and SI that _rt0_amd64 loaded. x/4gx $sp shows the words."},
     {"读取内核准备的栈",
      "内核把 argc 放在 0(SP)，argv[0] 紧挨在它上面。小型示例把它们取到 AX 和 BX 中，"
      "就像 rt0_go 处理 _rt0_amd64 装入 DI 和 SI 的值一样。用 x/4gx $sp 可以看到这几个字。"}},
    {"align",
     {"Room for arguments, SP aligned",
      "SUBQ $40 makes room for five words of outgoing arguments and ANDQ $~15 rounds SP down to a "
      "multiple of 16, as the ABI wants. argc and argv are kept at 24(SP) and 32(SP), exactly where "
      "rt0_go keeps them for args() later."},
     {"留出参数空间，对齐 SP",
      "SUBQ $40 为五个字的调用参数留出空间，ANDQ $~15 把 SP 向下对齐到 16 的倍数，这是 ABI "
      "的要求。argc 和 argv 保存在 24(SP) 和 32(SP)，和 rt0_go 为稍后的 args() 保存它们的位置完全相同。"}},
    {"g0_stack",
     {"Carving g0's stack",
      "The top 64 KiB of the OS stack become g0's stack: stack.hi is SP, stack.lo is SP-64K+104, and "
      "both stack guards are set to stack.lo so that a stack check has a limit to compare with. Watch "
      "info g0 change over the next six instructions; the real program shows the result at "
      "milestone:g0_stack."},
     {"划出 g0 的栈",
      "操作系统栈最上面的 64 KiB 成为 g0 的栈：stack.hi 是 SP，stack.lo 是 SP-64K+104，两个栈保护值"
      "都设为 stack.lo，这样栈检查才有可以比较的界限。接下来六条指令中请观察 info g0 的变化；"
      "真实程序在 milestone:g0_stack 处显示同样的结果。"}},
    // settls and bind
    {"settls",
     {"Pointing FS at m0.tls",
      "arch_prctl(ARCH_SET_FS, addr) sets the thread's FS base. The address is &m0.tls[0] plus 8: in "
      "the ELF TLS layout the thread pointer sits just past the variables, so %fs:-8 is m0.tls[0]. "
      "runtime.settls does the same ADDQ $8; leave it out (the settls_off8 miniature) and the check "
      "fails. The real program is back from settls at milestone:settls_return."},
     {"让 FS 指向 m0.tls",
      "arch_prctl(ARCH_SET_FS, addr) 设置线程的 FS 基址。这个地址是 &m0.tls[0] 加 8：在 ELF 的 TLS "
      "布局中，线程指针位于变量之后，所以 %fs:-8 就是 m0.tls[0]。runtime.settls 也做了同样的 "
      "ADDQ $8；去掉它（settls_off8 示例）检查就会失败。真实程序在 milestone:settls_return 处从 "
      "settls 返回。"}},
    {"tls_probe",
     {"Writing 0x123 through TLS",
      "MOVQ TLS, BX and 0(BX)(TLS*1) are Go's way of writing %fs:-8: the instruction stores 0x123 "
      "through the FS register. Where it lands depends only on the FS base just set. Try watch "
      "m0.tls[0] before stepping."},
     {"通过 TLS 写入 0x123",
      "MOVQ TLS, BX 和 0(BX)(TLS*1) 是 Go 汇编里写 %fs:-8 的方式：这条指令通过 FS 寄存器存入 0x123。"
      "它落在哪里只取决于刚刚设置的 FS 基址。单步之前可以先试试 watch m0.tls[0]。"}},
    {"tls_check",
     {"Reading it back from m0.tls[0]",
      "The check reads m0.tls[0] directly, without FS. If FS was set right it holds 0x123 and the "
      "miniature goes on; if not, it exits with status 1 where rt0_go would call runtime.abort. The "
      "real program has passed this check at milestone:tls_checked."},
     {"从 m0.tls[0] 读回",
      "检查时不经过 FS，直接读取 m0.tls[0]。如果 FS 设置正确，这里就是 0x123，示例继续执行；"
      "否则它以状态 1 退出，而 rt0_go 在这里会调用 runtime.abort。真实程序在 milestone:tls_checked "
      "处已经通过了这项检查。"}},
    {"check_failed",
     {"The check failed",
      "Without the ADDQ $8, FS points at m0.tls[0] itself, so %fs:-8 was the word before it: the 0x123 "
      "landed there and m0.tls[0] is still 0. print *(&m0.tls[0] - 8) shows where the write went. "
      "rt0_go would call runtime.abort here; the miniature exits with status 1."},
     {"检查失败",
      "少了 ADDQ $8，FS 指向的就是 m0.tls[0] 本身，于是 %fs:-8 成了它前面的那个字：0x123 "
      "写到了那里，m0.tls[0] 仍然是 0。print *(&m0.tls[0] - 8) 可以看到这次写入落在哪里。"
      "rt0_go 在这里会调用 runtime.abort；小型示例则以状态 1 退出。"}},
    {"g0_in_tls",
     {"g0 into the TLS slot",
      "The same %fs:-8 store, now with &g0: from here on getg() returns g0, because Go finds the "
      "current goroutine in this slot. The real program shows it done at milestone:g0_in_tls."},
     {"把 g0 放进 TLS 槽",
      "同样是写 %fs:-8，这次写入的是 &g0：从这里开始 getg() 返回 g0，因为 Go 正是从这个槽里找到"
      "当前的 goroutine。真实程序在 milestone:g0_in_tls 处显示同样的结果。"}},
    {"m0_g0",
     {"m0.g0 = &g0",
      "The M records its scheduling goroutine: m0.g0 points at g0. The scheduler runs on g0's stack "
      "whenever it switches goroutines. Real program: milestone:m0_g0."},
     {"m0.g0 = &g0",
      "M 记下它用于调度的 goroutine：m0.g0 指向 g0。调度器每次切换 goroutine 时都在 g0 的栈上运行。"
      "真实程序：milestone:m0_g0。"}},
    {"g0_m",
     {"g0.m = &m0",
      "The goroutine records the thread that runs it. m0 and g0 now point at each other, which "
      "info m0 and info g0 (or graph) show. Real program: milestone:g0_m."},
     {"g0.m = &m0",
      "goroutine 记下运行它的线程。现在 m0 和 g0 互相指向对方，info m0 和 info g0（或 graph）"
      "都能显示出来。真实程序：milestone:g0_m。"}},
    // newproc
    {"make_p",
     {"One P, owned by m0",
      "schedinit's procresize makes the Ps; here one P is built by hand: _Prunning, p.m = m0, "
      "m0.p = p, allp = [&p0]. allgs gets room for 258 goroutines. The real program has its Ps at "
      "milestone:schedinit_return."},
     {"一个 P，属于 m0",
      "schedinit 中的 procresize 负责创建 P；这里手工搭建一个 P：状态 _Prunning，p.m = m0，m0.p = p，"
      "allp = [&p0]。allgs 预留了 258 个 goroutine 的空间。真实程序在 milestone:schedinit_return "
      "处已有它的 P。"}},
    {"newproc",
     {"newproc and runqput, 258 times",
      "Each new g gets a goid, _Grunnable and a place in allgs, then runqput puts it in p.runnext; "
      "the g it displaces goes to the tail of the P's ring of 256 (slot = tail % 256). Watch "
      "allp[0].runnext or allp[0].runqtail to see it happen. The real program's single call "
      "ends at milestone:newproc_return."},
     {"newproc 和 runqput，执行 258 次",
      "每个新的 g 得到一个 goid、状态 _Grunnable 和 allgs 中的一个位置，然后 runqput 把它放进 "
      "p.runnext；被它挤出来的 g 进入 P 的环形队列（256 个槽，槽号 = tail % 256）的尾部。"
      "用 watch allp[0].runnext 或 watch allp[0].runqtail 可以看到这个过程。真实程序只调用一次，"
      "在 milestone:newproc_return 处结束。"}},
    {"runqputslow",
     {"The ring is full: half to the global queue",
      "The 258th goroutine finds 256 in the ring. runqputslow moves the first 128 of them and the "
      "displaced g, 129 in all, to the tail of sched.runq, linked through g.schedlink. info sched "
      "shows runqsize 129 at the end."},
     {"环形队列满了：一半移到全局队列",
      "第 258 个 goroutine 发现环形队列里已有 256 个。runqputslow 把其中前 128 个连同被挤出的那个 g，"
      "共 129 个，通过 g.schedlink 链接到 sched.runq 的尾部。结束时 info sched 显示 runqsize 为 129。"}},
    // gogo
    {"setup",
     {"As rt0_go leaves things",
      "TLS works, g0 is current and bound to m0, as at the end of the bind miniature. A second "
      "goroutine, g1, gets a 4 KiB stack and a gobuf that says where it starts: sched.sp near the top "
      "of its stack, sched.pc at milestone:g1_runs."},
     {"与 rt0_go 结束时相同的状态",
      "TLS 可用，g0 是当前 goroutine 并与 m0 绑定，和 bind 示例结束时一样。第二个 goroutine g1 "
      "得到一个 4 KiB 的栈和一个说明从哪里开始运行的 gobuf：sched.sp 靠近栈顶，sched.pc 指向 "
      "milestone:g1_runs。"}},
    {"save_g0",
     {"Saving g0 in its gobuf",
      "Before switching away, g0's SP and the PC to come back to go into g0.sched, as gosave and "
      "mcall do. A gobuf is all a goroutine needs to be resumed later."},
     {"把 g0 保存到它的 gobuf",
      "在切换出去之前，把 g0 的 SP 和将来要返回的 PC 存进 g0.sched，就像 gosave 和 mcall 所做的。"
      "有了 gobuf，一个 goroutine 就能在以后被恢复运行。"}},
    {"gogo",
     {"gogo: switching to g1",
      "As runtime.gogo does: g1 becomes _Grunning and m0.curg, the TLS slot and R14 name g1, SP "
      "becomes g1's saved SP and a JMP goes to its saved PC. Step it with s and watch $sp and $pc "
      "jump. The real program's first gogo is milestone:gogo."},
     {"gogo：切换到 g1",
      "和 runtime.gogo 一样：g1 变为 _Grunning 并成为 m0.curg，TLS 槽和 R14 指向 g1，SP 换成 g1 "
      "保存的 SP，最后 JMP 到它保存的 PC。用 s 单步，观察 $sp 和 $pc 的跳变。真实程序第一次进入 "
      "gogo 是 milestone:gogo。"}},
    {"g1_runs",
     {"Running on g1",
      "This code runs as goroutine 1, on g1's own stack: $sp lies between g1.stack.lo and "
      "g1.stack.hi, and info g shows g1 as the current goroutine. It sets main.marker to 1 to prove "
      "it ran."},
     {"在 g1 上运行",
      "这段代码作为 goroutine 1 在 g1 自己的栈上运行：$sp 位于 g1.stack.lo 和 g1.stack.hi 之间，"
      "info g 显示 g1 是当前的 goroutine。它把 main.marker 置为 1，证明自己运行过。"}},
    {"back_to_g0",
     {"mcall: back to g0",
      "g1 saves its own SP and PC in g1.sched and becomes _Grunnable; then g0's gobuf is loaded the "
      "same way: TLS and R14 name g0 again, and SP and PC are those saved at milestone:save_g0."},
     {"mcall：回到 g0",
      "g1 把自己的 SP 和 PC 存进 g1.sched 并变为 _Grunnable；然后用同样的方式装入 g0 的 gobuf："
      "TLS 和 R14 重新指向 g0，SP 和 PC 就是在 milestone:save_g0 处保存的值。"}},
    {"done",
     {"The end state",
      "The miniature has built what it set out to, and exit_group(0) ends it. Its header lists that "
      "state as gostep-expect lines, which its test checks: print any of them here. Then find the same "
      "step in the real program: gostep tour --from NAME, with the milestone this tour named."},
     {"最终状态",
      "小型示例已经搭好了它要搭的状态，exit_group(0) 结束程序。文件开头的 gostep-expect 行列出了"
      "这个状态，测试会逐条检查：可以在这里 print 其中任何一条。然后到真实程序里找同一步："
      "gostep tour --from 名称，名称就是本导览提到的那个里程碑。"}},
};

}  // namespace

const Explanation* mini_explanation(std::string_view milestone, Lang lang) {
  for (const auto& e : kMini)
    if (e.name == milestone) return lang == Lang::zh ? &e.zh : &e.en;
  return nullptr;
}

}  // namespace gostep::tour
