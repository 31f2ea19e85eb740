package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

const protobufType = "application/vnd.kubernetes.protobuf"

// runClient is a Go controller's first steps with client-go's typed clientset speaking protobuf
// both ways: create a ConfigMap and a Deployment, list them, watch a change, delete them. It
// prints one JSON line per step, then the content types the server answered with, for a test to
// compare between the fake and the real API server.
func runClient(args []string) error {
	flags := flag.NewFlagSet("client", flag.ContinueOnError)
	kubeconfig := flags.String("kubeconfig", "", "kubeconfig of the API server")
	namespace := flags.String("namespace", "default", "namespace to work in")
	prefix := flags.String("prefix", "kates-go", "prefix of the objects' names")
	if err := flags.Parse(args); err != nil {
		return err
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	config.ContentType = protobufType
	config.AcceptContentTypes = protobufType
	seen := &contentTypes{pairs: map[string]bool{}}
	config.Wrap(func(next http.RoundTripper) http.RoundTripper { return seen.record(next) })
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	labels := map[string]string{"kates-go-client": *prefix}
	selector := metav1.ListOptions{LabelSelector: "kates-go-client=" + *prefix}

	configMaps := client.CoreV1().ConfigMaps(*namespace)
	cm, err := configMaps.Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: *prefix + "-cm", Labels: labels},
		Data:       map[string]string{"greeting": "hello"},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("create configmap: %w", err)
	}
	_ = out.Encode(step{Step: "create", Kind: "ConfigMap", Name: cm.Name, UID: cm.UID != "", Data: cm.Data})

	replicas := int32(2)
	deployments := client.AppsV1().Deployments(*namespace)
	deploy, err := deployments.Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: *prefix + "-deploy", Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("create deployment: %w", err)
	}
	_ = out.Encode(step{Step: "create", Kind: "Deployment", Name: deploy.Name, UID: deploy.UID != "",
		Replicas: *deploy.Spec.Replicas, Strategy: string(deploy.Spec.Strategy.Type)})

	cms, err := configMaps.List(ctx, selector)
	if err != nil {
		return fmt.Errorf("list configmaps: %w", err)
	}
	names := []string{}
	for _, item := range cms.Items {
		names = append(names, item.Name)
	}
	_ = out.Encode(step{Step: "list", Kind: "ConfigMapList", Names: names, ResourceVersion: cms.ResourceVersion != ""})

	deploys, err := deployments.List(ctx, selector)
	if err != nil {
		return fmt.Errorf("list deployments: %w", err)
	}
	names = []string{}
	for _, item := range deploys.Items {
		names = append(names, item.Name)
	}
	_ = out.Encode(step{Step: "list", Kind: "DeploymentList", Names: names, ResourceVersion: deploys.ResourceVersion != ""})

	watcher, err := configMaps.Watch(ctx, metav1.ListOptions{LabelSelector: selector.LabelSelector, ResourceVersion: cms.ResourceVersion})
	if err != nil {
		return fmt.Errorf("watch configmaps: %w", err)
	}
	cm.Data["greeting"] = "hello again"
	if _, err := configMaps.Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("update configmap: %w", err)
	}
	select {
	case event, ok := <-watcher.ResultChan():
		if !ok {
			return fmt.Errorf("the watch closed before its first event")
		}
		if event.Type == watch.Error {
			return fmt.Errorf("watch error: %v", event.Object)
		}
		changed := event.Object.(*corev1.ConfigMap)
		_ = out.Encode(step{Step: "watch", Kind: "ConfigMap", Event: string(event.Type), Name: changed.Name, Data: changed.Data})
	case <-ctx.Done():
		return fmt.Errorf("no watch event: %w", ctx.Err())
	}
	watcher.Stop()

	if err := deployments.Delete(ctx, deploy.Name, metav1.DeleteOptions{}); err != nil {
		return fmt.Errorf("delete deployment: %w", err)
	}
	if err := configMaps.Delete(ctx, cm.Name, metav1.DeleteOptions{}); err != nil {
		return fmt.Errorf("delete configmap: %w", err)
	}
	_ = out.Encode(step{Step: "delete", Names: []string{deploy.Name, cm.Name}})
	_ = out.Encode(step{Step: "responses", ContentTypes: seen.sorted()})
	return nil
}

type step struct {
	Step            string            `json:"step"`
	Kind            string            `json:"kind,omitempty"`
	Name            string            `json:"name,omitempty"`
	Names           []string          `json:"names,omitempty"`
	UID             bool              `json:"hasUID,omitempty"`
	ResourceVersion bool              `json:"hasResourceVersion,omitempty"`
	Data            map[string]string `json:"data,omitempty"`
	Replicas        int32             `json:"replicas,omitempty"`
	Strategy        string            `json:"strategy,omitempty"`
	Event           string            `json:"event,omitempty"`
	ContentTypes    []string          `json:"contentTypes,omitempty"`
}

// contentTypes records "METHOD request-type -> response-type" for every request the clientset
// sent, so a test sees that both directions were protobuf.
type contentTypes struct {
	mu    sync.Mutex
	pairs map[string]bool
}

func (c *contentTypes) record(next http.RoundTripper) http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		res, err := next.RoundTrip(req)
		if err == nil {
			sent := req.Header.Get("Content-Type")
			if sent == "" {
				sent = "-"
			}
			c.mu.Lock()
			c.pairs[fmt.Sprintf("%s %s -> %s", req.Method, sent, res.Header.Get("Content-Type"))] = true
			c.mu.Unlock()
		}
		return res, err
	})
}

func (c *contentTypes) sorted() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.pairs))
	for pair := range c.pairs {
		out = append(out, pair)
	}
	sort.Strings(out)
	return out
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
