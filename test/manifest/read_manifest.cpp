// wavesync_read_manifest: wavesync's side of the differential test against kubectl's reader
// (test/yamlref). Reads each file as the loader does and prints one JSON line per file:
//   {"file":"a.yaml","docs":[{...},...]}   or   {"file":"a.yaml","error":"a.yaml:3:1: ..."}
// `docs` are the documents as JSON, before they are checked as Kubernetes objects. The documents
// are read both as trees and as text (manifest_stream.hpp's Bodies); if the two differ, the
// line is an error saying so, which the differential test reports as a difference.
#include "wavesync/manifest/manifest_stream.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string file = argv[i];
    std::ifstream in(file, std::ios::binary);
    nlohmann::json line{{"file", file}};
    if (!in) {
      line["error"] = file + ": cannot open";
    } else {
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Both ways the loader can hand over documents: as trees, and as text (what manifests
      // use). They must agree, so the text form is held to kubectl's reader too.
      auto trees = wavesync::manifest::read_documents(text, file, wavesync::manifest::Bodies::tree);
      auto texts = wavesync::manifest::read_documents(text, file, wavesync::manifest::Bodies::text);
      if (!trees) {
        line["error"] = trees.error().message;
        if (!texts || texts.error().message != trees.error().message) {
          line["error"] = "text and tree readers disagree: the tree reader failed with: " + trees.error().message;
        }
      } else {
        nlohmann::json docs = nlohmann::json::array();
        for (auto& d : *trees) docs.push_back(std::move(d.root));
        nlohmann::json from_text = nlohmann::json::array();
        if (texts) {
          for (auto& d : *texts) from_text.push_back(d.text ? nlohmann::json::parse(*d.text) : std::move(d.root));
        }
        if (!texts || from_text != docs) {
          line["error"] = "text and tree readers disagree" +
                          (texts ? std::string() : ": the text reader failed with: " + texts.error().message);
        } else {
          line["docs"] = std::move(docs);
        }
      }
    }
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
}
