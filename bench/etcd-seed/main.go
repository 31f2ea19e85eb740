// etcd-seed writes Kubernetes objects straight into the etcd of a kube-apiserver, as the API
// server itself stores them, so that the benchmark can seed 100k objects in seconds instead of
// minutes of creates through the API.
//
// Usage: etcd-seed -endpoint=http://127.0.0.1:2379 -resource=configmaps [-concurrency=64] < objects.jsonl
//
// Each stdin line is one object as a client would create it (apiVersion v1: ConfigMap or Pod).
// Before it is written, the seeder does what the API server does on create: it sets
// metadata.uid (a random UUID) and metadata.creationTimestamp (now), clears
// metadata.resourceVersion (the API server derives it from the etcd revision that wrote the key,
// on every read) and encodes it in the API server's storage form: protobuf in the `k8s\0`
// envelope (runtime.Unknown with apiVersion and kind), under /registry/<resource>/<ns>/<name>.
// One Put per object (each its own revision, as creates through the API make them), with
// `concurrency` Puts in flight.
//
// Prints one JSON line: {"objects":N,"ms":...,"revision":R} (R: the highest revision written).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	clientv3 "go.etcd.io/etcd/client/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	"k8s.io/apimachinery/pkg/types"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "etcd-seed: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:2379", "etcd client URL")
	resource := flag.String("resource", "configmaps", "configmaps or pods")
	prefix := flag.String("prefix", "/registry", "kube-apiserver's --etcd-prefix")
	concurrency := flag.Int("concurrency", 64, "Puts in flight")
	flag.Parse()

	scheme := runtime.NewScheme()
	if err := corev1.AddToScheme(scheme); err != nil {
		fail("scheme: %v", err)
	}
	serializer := protobuf.NewSerializer(scheme, scheme)
	newObject := func() metav1.Object {
		switch *resource {
		case "configmaps":
			return &corev1.ConfigMap{}
		case "pods":
			return &corev1.Pod{}
		}
		fail("resource %q: only configmaps and pods", *resource)
		return nil
	}
	newObject()

	client, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 10 * time.Second})
	if err != nil {
		fail("connecting to %s: %v", *endpoint, err)
	}
	defer client.Close()

	type item struct {
		key   string
		value []byte
	}
	work := make(chan item, *concurrency*4)
	var revision atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				if firstErr.Load() != nil {
					continue
				}
				res, err := client.Put(context.Background(), it.key, string(it.value))
				if err != nil {
					firstErr.Store(fmt.Errorf("put %s: %w", it.key, err))
					continue
				}
				for {
					seen := revision.Load()
					if res.Header.Revision <= seen || revision.CompareAndSwap(seen, res.Header.Revision) {
						break
					}
				}
			}
		}()
	}

	now := metav1.NewTime(time.Now().UTC().Truncate(time.Second))
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	count := 0
	var buf bytes.Buffer
	for in.Scan() {
		line := in.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		obj := newObject()
		if err := json.Unmarshal(line, obj); err != nil {
			fail("line %d: %v", count+1, err)
		}
		if obj.GetName() == "" || obj.GetNamespace() == "" {
			fail("line %d: an object needs metadata.name and metadata.namespace", count+1)
		}
		obj.SetUID(types.UID(uuid.NewString()))
		obj.SetCreationTimestamp(now)
		obj.SetResourceVersion("")
		obj.SetGeneration(1)
		buf.Reset()
		if err := serializer.Encode(obj.(runtime.Object), &buf); err != nil {
			fail("encoding %s/%s: %v", obj.GetNamespace(), obj.GetName(), err)
		}
		key := fmt.Sprintf("%s/%s/%s/%s", *prefix, *resource, obj.GetNamespace(), obj.GetName())
		work <- item{key: key, value: bytes.Clone(buf.Bytes())}
		count++
	}
	if err := in.Err(); err != nil {
		fail("reading stdin: %v", err)
	}
	close(work)
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		fail("%v", err)
	}
	out, _ := json.Marshal(map[string]any{
		"objects":  count,
		"ms":       float64(time.Since(start).Microseconds()) / 1000,
		"revision": revision.Load(),
	})
	fmt.Println(string(out))
}
