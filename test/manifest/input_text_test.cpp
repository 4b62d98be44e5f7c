// Reading one input under the size limit: stdin in chunks, stopping at the limit; files by their
// size first; and the objects of a document, lists flattened, without a manifest's checks.
#include "manifest/manifest_test_util.hpp"

#include "wavesync/manifest/input_text.hpp"
#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/manifest/objects.hpp"

#include <istream>
#include <streambuf>

using namespace wavesync;
using namespace wavesync::manifest;

namespace {

// 64 MiB of `#` comment bytes, counting what was taken.
class HugeBuffer final : public std::streambuf {
 public:
  std::size_t handed_out = 0;

 protected:
  int_type underflow() override {
    if (handed_out >= 64u * 1024 * 1024) return traits_type::eof();
    chunk_.assign(4096, '#');
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    handed_out += chunk_.size();
    return traits_type::to_int_type(chunk_[0]);
  }

 private:
  std::string chunk_;
};

}  // namespace

TEST_CASE("a huge stdin is refused once it passes the limit, not read to its end", "[manifest]") {
  HugeBuffer buffer;
  std::istream in(&buffer);
  auto text = read_stream_text(in, k_stdin_name);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().exit_code == exit_code::k_usage);
  CHECK(text.error().message ==
        "<stdin>: input is too large: expected at most 10485760 bytes (10 MiB) per manifest file");
  CHECK(buffer.handed_out <= k_max_file_bytes + 128 * 1024);
}

TEST_CASE("a missing file cannot be read, named as given", "[manifest]") {
  auto text = read_file_text("/nonexistent/live.yaml", "live.yaml");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().message == "live.yaml: cannot read: No such file or directory");
}

TEST_CASE("live objects come out of a list without a manifest's identity checks", "[manifest]") {
  // No name, a repeated object: fine for `wavesync health`, refused by the loader.
  auto documents = read_documents("kind: List\nitems:\n- {kind: Pod}\n- {kind: Pod}\n", "live.yaml");
  REQUIRE(documents.ok());
  REQUIRE(documents->size() == 1);
  std::vector<std::string> found;
  auto ok = for_each_object(std::move((*documents)[0]), [&found](DocumentObject object) {
    found.push_back(object.object.value("kind", "") + "@" + object.source.str());
    return Result<void>();
  });
  REQUIRE(ok.ok());
  CHECK(found == std::vector<std::string>{"Pod@live.yaml:3:3", "Pod@live.yaml:4:3"});
}
