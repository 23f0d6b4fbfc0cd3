// files: what a small tool does in its working directory. It walks data/,
// reads every file, then writes, appends, copies, renames, links, truncates,
// changes modes and removes files under out/ and data/, printing what it saw.
// The tests run it natively and under gostep on two copies of one directory
// and compare the output and the directories left behind.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func check(what string, err error) {
	if err != nil {
		fmt.Println("error:", what, err)
		os.Exit(1)
	}
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func walk(root string) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			fmt.Printf("dir  %s %v\n", path, info.Mode().Perm())
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(path)
			check("readlink", err)
			fmt.Printf("link %s -> %s\n", path, t)
		default:
			b, err := os.ReadFile(path)
			check("read", err)
			fmt.Printf("file %s %d bytes %v %q\n", path, info.Size(), info.Mode().Perm(), firstLine(b))
		}
		return nil
	})
	check("walk", err)
}

func main() {
	walk("data")

	// Count the words of every .txt file, through a buffered reader.
	matches, err := filepath.Glob("data/*.txt")
	check("glob", err)
	total := 0
	for _, m := range matches {
		f, err := os.Open(m)
		check("open", err)
		sc := bufio.NewScanner(f)
		sc.Split(bufio.ScanWords)
		for sc.Scan() {
			total++
		}
		check("scan", sc.Err())
		f.Close()
	}
	fmt.Println("words:", total)

	check("mkdir", os.MkdirAll("out/sub/deeper", 0755))
	check("write", os.WriteFile("out/report.txt", []byte(fmt.Sprintf("%d words\n", total)), 0644))
	f, err := os.OpenFile("out/report.txt", os.O_APPEND|os.O_WRONLY, 0)
	check("open append", err)
	_, err = f.WriteString("appended line\n")
	check("append", err)
	check("close", f.Close())

	// io.Copy between two files: copy_file_range, or read and write.
	src, err := os.Open("out/report.txt")
	check("open src", err)
	dst, err := os.Create("out/copy.txt")
	check("create", err)
	n, err := io.Copy(dst, src)
	check("copy", err)
	fmt.Println("copied:", n)
	src.Close()
	dst.Close()

	// Seek and ReadAt.
	g, err := os.Open("out/copy.txt")
	check("open copy", err)
	buf := make([]byte, 5)
	_, err = g.ReadAt(buf, 2)
	check("readat", err)
	off, err := g.Seek(-6, io.SeekEnd)
	check("seek", err)
	rest, err := io.ReadAll(g)
	check("readall", err)
	fmt.Printf("readat %q, seek %d, rest %q\n", buf, off, rest)
	g.Close()

	check("rename", os.Rename("out/report.txt", "out/sub/report.txt"))
	check("symlink", os.Symlink("sub/report.txt", "out/link"))
	linked, err := os.ReadFile("out/link")
	check("read link", err)
	fmt.Printf("through the link: %q\n", firstLine(linked))
	check("hard link", os.Link("out/copy.txt", "out/sub/deeper/hard.txt"))
	st, err := os.Stat("out/copy.txt")
	check("stat", err)
	fmt.Println("links to copy.txt:", st.Sys() != nil)
	check("truncate", os.Truncate("out/copy.txt", 5))
	check("chmod", os.Chmod("out/copy.txt", 0600))
	hard, err := os.ReadFile("out/sub/deeper/hard.txt")
	check("read hard", err)
	fmt.Printf("hard link after truncate: %q\n", hard)

	check("remove", os.Remove("data/remove-me.txt"))
	check("removeall", os.RemoveAll("data/scratch"))
	check("rename dir", os.Rename("data/keep", "data/kept"))

	// Errors as Go reports them.
	_, err = os.Open("data/missing.txt")
	fmt.Println("missing:", err, errors.Is(err, fs.ErrNotExist))
	_, err = os.OpenFile("out/copy.txt", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0644)
	fmt.Println("exclusive:", err, errors.Is(err, fs.ErrExist))
	err = os.Remove("out/sub")
	fmt.Println("remove non-empty:", err)
	_, err = os.ReadDir("out/copy.txt")
	fmt.Println("readdir of a file:", err)

	entries, err := os.ReadDir("out")
	check("readdir", err)
	for _, e := range entries {
		fmt.Println("out entry:", e.Name(), e.IsDir())
	}
	walk("out")
	walk("data")
}
