// Command kates-protobuf is the fake API server's protobuf codec and a client-go program for tests.
//
//	kates-protobuf transcode    serve framed requests on stdin/stdout (see transcode.go)
//	kates-protobuf client ...   create and list with client-go's typed clientset (see client.go)
//
// It uses the Kubernetes release's own Go codecs (k8s.io/apimachinery's protobuf and JSON
// serializers over client-go's scheme), so the fake decodes and encodes exactly what the real
// API server does, with no protobuf definitions kept in the repository.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kates-protobuf transcode | client --kubeconfig FILE --namespace NS --prefix NAME")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "transcode":
		err = serve(os.Stdin, os.Stdout)
	case "client":
		err = runClient(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kates-protobuf:", err)
		os.Exit(1)
	}
}
