module gostep.example/fixtures

go 1.19
