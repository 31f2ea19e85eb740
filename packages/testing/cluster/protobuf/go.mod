// A module of its own only so that the cluster module (../go.mod) does not count this program:
// `go mod tidy` there would otherwise add its imports to ../go.mod and change build.sh's cache
// key. build.sh in this folder builds it in a scratch module pinned by ../go.mod and ../go.sum.
module kates.local/protobuf

go 1.26.0
