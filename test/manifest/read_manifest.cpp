// wavesync_read_manifest: wavesync's side of the differential test against kubectl's reader
// (test/yamlref). Reads each file as the loader does and prints one JSON line per file:
//   {"file":"a.yaml","docs":[{...},...]}   or   {"file":"a.yaml","error":"a.yaml:3:1: ..."}
// `docs` are the documents as JSON, before they are checked as Kubernetes objects.
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
      auto documents = wavesync::manifest::read_documents(text, file);
      if (!documents) {
        line["error"] = documents.error().message;
      } else {
        nlohmann::json docs = nlohmann::json::array();
        for (auto& d : *documents) docs.push_back(std::move(d.root));
        line["docs"] = std::move(docs);
      }
    }
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return 0;
}
