// Command yamlref reads manifest files exactly as kubectl does and prints what it got, so the
// differential test can hold wavesync's loader to kubectl's reader. Test infrastructure only.
//
// kubectl apply -f reads each file with k8s.io/cli-runtime's StreamVisitor: a
// k8s.io/apimachinery YAMLOrJSONDecoder (buffer 4096) decodes one runtime.RawExtension at a
// time, blank and `null` documents are skipped, and the object is then decoded with
// k8s.io/apimachinery/pkg/util/json (case-sensitive, integers kept as int64, others float64).
//
// Usage: yamlref FILE...   One JSON line per file on stdout:
//   {"file":"a.yaml","docs":[{...},...]}   or   {"file":"a.yaml","error":"..."}
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

type result struct {
	File  string        `json:"file"`
	Docs  []interface{} `json:"docs,omitempty"`
	Error string        `json:"error,omitempty"`
}

func read(path string) (docs []interface{}, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// go-yaml v2 panics are turned into errors by its own handler; anything else would be a
	// reader crash, which kubectl would also not survive: report it as an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	d := utilyaml.NewYAMLOrJSONDecoder(f, 4096)
	docs = []interface{}{}
	for {
		ext := runtime.RawExtension{}
		if err := d.Decode(&ext); err != nil {
			if err == io.EOF {
				return docs, nil
			}
			return nil, err
		}
		raw := bytes.TrimSpace(ext.Raw)
		if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
			continue
		}
		var v interface{}
		if err := utiljson.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		docs = append(docs, v)
	}
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, path := range os.Args[1:] {
		docs, err := read(path)
		r := result{File: path, Docs: docs}
		if err != nil {
			r = result{File: path, Error: err.Error()}
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(os.Stderr, "yamlref: %s: %v\n", path, err)
			os.Exit(2)
		}
	}
}
