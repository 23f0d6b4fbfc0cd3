module gostep.example/mini

go 1.19
