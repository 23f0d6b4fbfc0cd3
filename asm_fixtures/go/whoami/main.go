// whoami: where and who the program is: os.Getwd, os.Stat, os.CreateTemp,
// os.Hostname and user.Current. It prints facts that hold on any machine (the
// tests compare them with a native run); with -values it also prints what it
// found, which under gostep is the same on every machine.
package main

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	values := len(os.Args) > 1 && os.Args[1] == "-values"
	wd, err := os.Getwd()
	fmt.Println("getwd:", err == nil, filepath.IsAbs(wd))
	dot, err := os.Stat(".")
	fmt.Println("stat .:", err == nil, dot != nil && dot.IsDir())
	wdst, err := os.Stat(wd)
	fmt.Println("same file:", err == nil && os.SameFile(dot, wdst))

	f, err := os.CreateTemp("", "whoami-*.txt")
	if err != nil {
		fmt.Println("createtemp:", err)
		os.Exit(1)
	}
	_, err = f.WriteString("temporary\n")
	st, _ := f.Stat()
	fmt.Println("createtemp:", err == nil, strings.HasPrefix(f.Name(), os.TempDir()), st.Size(), st.Mode().Perm())
	f.Close()
	fmt.Println("remove temp:", os.Remove(f.Name()) == nil)

	host, err := os.Hostname()
	fmt.Println("hostname:", err == nil, host != "")

	u, err := user.Current()
	if err != nil {
		fmt.Println("user:", err)
		os.Exit(1)
	}
	fmt.Println("user:", u.Uid == strconv.Itoa(os.Getuid()), u.Gid == strconv.Itoa(os.Getgid()), u.Username != "")
	groups, err := os.Getgroups()
	fmt.Println("groups:", err == nil)
	if values {
		fmt.Println("wd", wd)
		fmt.Println("tmp", filepath.Dir(f.Name()))
		fmt.Println("host", host)
		fmt.Println("user", u.Username, u.Uid, u.Gid, u.HomeDir)
		fmt.Println("groups", groups)
		fmt.Println("pid", os.Getpid(), "ppid", os.Getppid())
		fmt.Println("mtime", dot.ModTime().UTC().Format("2006-01-02 15:04:05"))
	}
}
