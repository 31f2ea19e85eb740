package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	jsonserializer "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

// codec converts between the JSON the fake keeps and the protobuf the real API server speaks,
// for the kinds built into Kubernetes (client-go's scheme, the meta.k8s.io kinds and CRDs).
type codec struct {
	scheme   *runtime.Scheme
	json     *jsonserializer.Serializer
	protobuf *protobuf.Serializer
}

func newCodec() (*codec, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, err
	}
	metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"})
	if err := metav1.AddMetaToScheme(s); err != nil {
		return nil, err
	}
	// Options sent as bodies (a DeleteOptions with a delete) name meta.k8s.io/v1.
	s.AddKnownTypes(metav1.SchemeGroupVersion,
		&metav1.ListOptions{}, &metav1.GetOptions{}, &metav1.DeleteOptions{},
		&metav1.CreateOptions{}, &metav1.UpdateOptions{}, &metav1.PatchOptions{})
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		return nil, err
	}
	return &codec{
		scheme:   s,
		json:     jsonserializer.NewSerializerWithOptions(jsonserializer.DefaultMetaFactory, s, s, jsonserializer.SerializerOptions{}),
		protobuf: protobuf.NewSerializer(s, s),
	}, nil
}

// toJSON decodes a protobuf body (the "k8s\0" envelope) of a built-in kind into its JSON.
func (c *codec) toJSON(data []byte) ([]byte, error) {
	obj, gvk, err := c.protobuf.Decode(data, nil, nil)
	if err != nil {
		return nil, err
	}
	obj.GetObjectKind().SetGroupVersionKind(*gvk)
	var out bytes.Buffer
	if err := c.json.Encode(obj, &out); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(out.Bytes()), nil
}

// toProtobuf encodes the JSON of a built-in kind (its apiVersion and kind say which) as the
// real API server's protobuf body, "k8s\0" envelope included.
func (c *codec) toProtobuf(data []byte) ([]byte, error) {
	obj, err := c.typed(data)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := c.protobuf.Encode(obj, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// watchEvent encodes {"type":..,"object":{..}} as one metav1.WatchEvent message, as the real
// API server writes each frame of a protobuf watch: the event without an envelope, its object
// with one. The caller adds the frame's length.
func (c *codec) watchEvent(data []byte) ([]byte, error) {
	var event struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(data, &event); err != nil {
		return nil, err
	}
	raw, err := c.toProtobuf(event.Object)
	if err != nil {
		return nil, err
	}
	message := metav1.WatchEvent{Type: event.Type, Object: runtime.RawExtension{Raw: raw}}
	return message.Marshal()
}

// watchEventJSON decodes one metav1.WatchEvent message, as a client reads a protobuf watch frame.
func (c *codec) watchEventJSON(data []byte) ([]byte, error) {
	var message metav1.WatchEvent
	if err := message.Unmarshal(data); err != nil {
		return nil, err
	}
	object, err := c.toJSON(message.Object.Raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}{message.Type, object})
}

func (c *codec) typed(data []byte) (runtime.Object, error) {
	var meta metav1.TypeMeta
	if err := json.Unmarshal(data, &meta); err != nil {
		return nil, err
	}
	gvk := meta.GroupVersionKind()
	if !c.scheme.Recognizes(gvk) {
		return nil, fmt.Errorf("%s is not a built-in kind: it has no protobuf encoding", gvk)
	}
	obj, _, err := c.json.Decode(data, nil, nil)
	if err != nil {
		return nil, err
	}
	return obj, nil
}
