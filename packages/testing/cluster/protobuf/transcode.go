package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The frames of `kates-protobuf transcode`, both ways: a 4-byte big-endian length, then that
// many bytes. A request's first byte names the operation and the rest is its input; an answer's
// first byte is 0 (the rest is the output) or 1 (the rest is an error message). Answers come in
// the order of the requests, one each, so the caller needs no ids.
const (
	opToJSON     = 'j' // protobuf body -> JSON
	opToProtobuf = 'p' // JSON -> protobuf body
	opWatchEvent = 'w' // {"type","object"} JSON -> metav1.WatchEvent message
	opEventJSON  = 'e' // metav1.WatchEvent message -> {"type","object"} JSON (for tests)
)

func serve(in io.Reader, out io.Writer) error {
	c, err := newCodec()
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(in, 1<<16)
	w := bufio.NewWriterSize(out, 1<<16)
	for {
		request, err := readFrame(r)
		if errors.Is(err, io.EOF) {
			return nil // the fake closed our stdin: it stopped
		}
		if err != nil {
			return err
		}
		result, err := handle(c, request)
		if err != nil {
			err = writeFrame(w, 1, []byte(err.Error()))
		} else {
			err = writeFrame(w, 0, result)
		}
		if err == nil && r.Buffered() == 0 {
			err = w.Flush() // answer now unless more requests are already waiting
		}
		if err != nil {
			return err
		}
	}
}

func handle(c *codec, request []byte) ([]byte, error) {
	if len(request) == 0 {
		return nil, errors.New("empty request")
	}
	switch request[0] {
	case opToJSON:
		return c.toJSON(request[1:])
	case opToProtobuf:
		return c.toProtobuf(request[1:])
	case opWatchEvent:
		return c.watchEvent(request[1:])
	case opEventJSON:
		return c.watchEventJSON(request[1:])
	default:
		return nil, fmt.Errorf("unknown operation %q", request[0])
	}
}

func readFrame(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	frame := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(r, frame); err != nil {
		return nil, fmt.Errorf("truncated frame: %w", err)
	}
	return frame, nil
}

func writeFrame(w io.Writer, status byte, payload []byte) error {
	var header [5]byte
	binary.BigEndian.PutUint32(header[:4], uint32(len(payload)+1))
	header[4] = status
	if _, err := w.Write(header[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}
