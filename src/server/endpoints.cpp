#include "server/endpoints.hpp"

#include "server/digits/session.hpp"
#include "server/inside/session.hpp"
#include "server/playground/session.hpp"

namespace netlens::server {

std::vector<Endpoint> view_endpoints(const ViewOptions& options, Budget& memory) {
  auto images = std::make_shared<digits::ImageDataCache>(memory);
  const digits::DigitsOptions digits_options{options.models_dir, options.mnist_dir};
  return {
      {"/ws",
       [runs = options.runs_dir, open = options.open_run](Outbox& outbox, Budget& budget) {
         return std::make_unique<playground::PlaygroundSession>(outbox, &budget, runs, train::RunSpec{}, open);
       }},
      {"/ws/digits",
       [digits_options, images](Outbox& outbox, Budget& budget) {
         return std::make_unique<digits::DigitsSession>(outbox, digits_options, budget, *images);
       }},
      {"/ws/inside", [](Outbox& outbox, Budget& budget) { return std::make_unique<inside::InsideSession>(outbox, budget); }},
  };
}

}  // namespace netlens::server
