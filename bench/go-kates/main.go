// Command kates-bench is the Go kates peer of the kates-ts benchmarks: it runs the same consumer
// scenario as bench/src/consumers (bootstrap one collection to its first complete snapshot, then
// follow a burst of writes until a marker annotation shows up) and prints one JSON line per phase
// on stdout, which bench/src/peers/go-kates.ts reads.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emissary-ingress/emissary/v3/pkg/kates"
	"golang.org/x/sys/unix"
)

// The annotations the bench driver writes: when a write was sent (µs, CLOCK_MONOTONIC) and the
// marker that ends a run.
const (
	sentAnnotation = "bench.kates.io/sent"
	doneAnnotation = "bench.kates.io/done"
)

type options struct {
	kubeconfig  string
	namespace   string
	kind        string
	expect      int
	phases      []string
	doneName    string
	intervalMs  int
	reconcileMs int
	timeout     time.Duration
}

// object is what both *kates.ConfigMap and *kates.Pod offer.
type object interface {
	GetName() string
	GetNamespace() string
	GetResourceVersion() string
	GetAnnotations() map[string]string
}

type snapshot[T object] struct {
	Objects []T
}

func main() {
	var o options
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the API server")
	flag.StringVar(&o.namespace, "namespace", "", "namespace to watch")
	flag.StringVar(&o.kind, "kind", "ConfigMap", "ConfigMap or Pod")
	var phases string
	flag.IntVar(&o.expect, "expect", 0, "objects in the first snapshot")
	flag.StringVar(&phases, "phases", "", "phases to follow after the bootstrap, comma-separated; each ends at its marker")
	flag.StringVar(&o.doneName, "done-name", "", "object that carries the end markers")
	flag.IntVar(&o.intervalMs, "interval-ms", 50, "accumulator interval (kates default: 1000)")
	flag.IntVar(&o.reconcileMs, "reconcile-ms", 0, "time each reconcile takes")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.Parse()
	if phases != "" {
		o.phases = strings.Split(phases, ",")
	}

	var err error
	switch o.kind {
	case "ConfigMap":
		err = run[*kates.ConfigMap](o)
	case "Pod":
		err = run[*kates.Pod](o)
	default:
		err = fmt.Errorf("unknown kind %q: use ConfigMap or Pod", o.kind)
	}
	if err != nil {
		emit(map[string]any{"type": "error", "message": err.Error()})
		os.Exit(1)
	}
}

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// nowMicros reads the machine's monotonic clock (CLOCK_MONOTONIC), as the bench's Node processes
// do (bench/src/stats.ts): the driver stamps each write with it, so the wall clock, which can be
// stepped between processes' reads, must not be compared with it.
func nowMicros() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		panic(err)
	}
	return ts.Nano() / 1000
}

func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// rssBytes reads the resident set size from /proc (Linux).
func rssBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(fields[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// digest is the same fingerprint every peer computes: sorted namespace/name@resourceVersion lines.
func digest[T object](items []T) string {
	lines := make([]string, 0, len(items))
	for _, it := range items {
		lines = append(lines, it.GetNamespace()+"/"+it.GetName()+"@"+it.GetResourceVersion())
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

func run[T object](o options) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	client, err := kates.NewClient(kates.ClientConfig{Kubeconfig: o.kubeconfig})
	if err != nil {
		return fmt.Errorf("kates client: %w", err)
	}
	if err := client.MaxAccumulatorInterval(time.Duration(o.intervalMs) * time.Millisecond); err != nil {
		return err
	}
	// Discovery is warmed before the clock starts, as every peer does.
	if err := client.WaitFor(ctx, o.kind); err != nil {
		return fmt.Errorf("discovery of %s: %w", o.kind, err)
	}
	baseHeap := heapBytes()

	var peakRss atomic.Uint64
	stopSampling := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				if r := rssBytes(); r > peakRss.Load() {
					peakRss.Store(r)
				}
			}
		}
	}()
	defer close(stopSampling)

	start := time.Now()
	acc, err := client.Watch(ctx, kates.Query{Name: "Objects", Kind: o.kind, Namespace: o.namespace})
	if err != nil {
		return fmt.Errorf("watch %s: %w", o.kind, err)
	}
	var snap snapshot[T]
	select {
	case <-acc.Changed():
	case <-ctx.Done():
		return fmt.Errorf("no first snapshot of %d %s within %s", o.expect, o.kind, o.timeout)
	}
	if _, err := acc.Update(ctx, &snap); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	// Go kates counts the first page of a paginated LIST as the whole initial list
	// (client.go, lw.List), so its first snapshot can be short: wait for the complete one, and
	// report both.
	firstCount := len(snap.Objects)
	emit(map[string]any{"type": "first", "ms": float64(time.Since(start).Microseconds()) / 1000, "count": firstCount})
	for len(snap.Objects) < o.expect {
		select {
		case <-acc.Changed():
		case <-ctx.Done():
			return fmt.Errorf("snapshot holds %d %s, expected %d (first snapshot: %d)", len(snap.Objects), o.kind, o.expect, firstCount)
		}
		if _, err := acc.Update(ctx, &snap); err != nil {
			return fmt.Errorf("update: %w", err)
		}
	}
	elapsed := time.Since(start)
	if len(snap.Objects) != o.expect {
		return fmt.Errorf("snapshot holds %d %s, expected %d", len(snap.Objects), o.kind, o.expect)
	}
	heap := heapBytes()
	emit(map[string]any{
		"type": "bootstrapped", "ms": float64(elapsed.Microseconds()) / 1000, "count": len(snap.Objects), "firstCount": firstCount,
		"heapBytes": heap - min(heap, baseHeap), "rssBytes": rssBytes(), "digest": digest(snap.Objects),
	})
	// Follow the writes: one UpdateWithDeltas per change signal, as a controller's loop does.
	var deltas []*kates.Delta
	for _, phase := range o.phases {
		latencies := make([]int64, 0, 1<<12)
		updateUs := make([]float64, 0, 1<<10)
		updates := 0
		peakRss.Store(0)
		for done := false; !done; {
			select {
			case <-acc.Changed():
			case <-ctx.Done():
				return fmt.Errorf("end marker %s=%s on %s not seen within %s (%d updates)", doneAnnotation, phase,
					o.doneName, o.timeout, updates)
			}
			signalled := nowMicros()
			t := time.Now()
			if _, err := acc.UpdateWithDeltas(ctx, &snap, &deltas); err != nil {
				return fmt.Errorf("update: %w", err)
			}
			updateUs = append(updateUs, float64(time.Since(t).Nanoseconds())/1000)
			updates++
			// Go kates' deltas carry names only: find the changed objects in the snapshot.
			changed := make(map[string]bool, len(deltas))
			for _, d := range deltas {
				changed[d.Namespace+"/"+d.Name] = true
			}
			for _, it := range snap.Objects {
				if !changed[it.GetNamespace()+"/"+it.GetName()] {
					continue
				}
				ann := it.GetAnnotations()
				if sent, err := strconv.ParseInt(ann[sentAnnotation], 10, 64); err == nil {
					latencies = append(latencies, signalled-sent)
				}
				if it.GetName() == o.doneName && ann[doneAnnotation] == phase {
					done = true
				}
			}
			if o.reconcileMs > 0 && !done {
				time.Sleep(time.Duration(o.reconcileMs) * time.Millisecond)
			}
		}
		emit(map[string]any{
			"type": "phase", "phase": phase, "updates": updates, "latenciesUs": latencies, "updateUs": updateUs,
			"endUs": nowMicros(), "count": len(snap.Objects), "digest": digest(snap.Objects), "peakRssBytes": peakRss.Load(),
		})
	}
	return nil
}
