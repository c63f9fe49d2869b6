module liblead/ffi

go 1.19
